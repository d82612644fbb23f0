package se.regionorebrolan.bhv.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Loads the example centres (clearly marked as example data) through compensation-service's own API. */
final class DemoData {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoData() {
    }

    /** Puts every demo centre; a PUT is idempotent, so this runs on every start. Returns how many. */
    static int loadCentres(String compensationBaseUrl, String token) throws IOException, InterruptedException {
        JsonNode file;
        try (InputStream in = DemoData.class.getResourceAsStream("/bhv/demo-centres.json")) {
            file = JSON.readTree(in);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        int count = 0;
        for (JsonNode centre : file.get("centres")) {
            ObjectNode body = ((ObjectNode) centre.deepCopy());
            String id = body.remove("centreId").asText();
            HttpRequest put = HttpRequest.newBuilder(URI.create(compensationBaseUrl + "/api/v1/centres/" + id))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .timeout(Duration.ofSeconds(10))
                    .build();
            HttpResponse<String> response = http.send(put, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("demo centre " + id + " was refused: " + response.statusCode()
                        + " " + response.body());
            }
            count++;
        }
        return count;
    }
}
