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
import java.util.Map;

/**
 * Loads the example centres (clearly marked as example data) through compensation-service's own API, as the region
 * would: each centre registered, and a fixed-model centre put on the list of centres that may apply, its application
 * recorded and approved by the central child-health unit. Runs on every start; what is there already is left alone.
 */
final class DemoData {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoData() {
    }

    /** Loads every demo centre that is not there yet; returns how many demo centres there are. */
    static int loadCentres(String compensationBaseUrl, String token) throws IOException, InterruptedException {
        JsonNode file;
        try (InputStream in = DemoData.class.getResourceAsStream("/bhv/demo-centres.json")) {
            file = JSON.readTree(in);
        }
        Api api = new Api(compensationBaseUrl, token);
        int count = 0;
        for (JsonNode centre : file.get("centres")) {
            ObjectNode body = ((ObjectNode) centre.deepCopy());
            String id = body.remove("centreId").asText();
            JsonNode approvedFrom = body.remove("fixedApprovedFrom");
            boolean fixed = "FIXED_EXTENDED".equals(body.path("compensationModel").asText());
            HttpResponse<String> known = api.send("GET", "/api/v1/centres/" + id, null);
            if (known.statusCode() == 404) {
                body.put("compensationModel", "VARIABLE");
                body.put("figuresValidFrom", "2025-01-01");
                api.require("PUT", "/api/v1/centres/" + id, JSON.writeValueAsString(body));
                known = api.send("GET", "/api/v1/centres/" + id, null);
            }
            if (fixed && JSON.readTree(known.body()).path("applications").isEmpty()) {
                String from = approvedFrom.asText();
                api.require("PUT", "/api/v1/fixed-compensation/eligible-centres/" + id, JSON.writeValueAsString(
                        Map.of("source", "Rutin 1138579 R1: centrum som får ansöka (exempeldata)")));
                JsonNode application = JSON.readTree(api.require("POST", "/api/v1/centres/" + id
                        + "/fixed-applications", JSON.writeValueAsString(Map.of("receivedOn", from, "requestedFrom",
                        from, "plannedUse", "Utökade hembesök tillsammans med socialtjänsten (exempeldata)"))));
                api.require("POST", "/api/v1/centres/" + id + "/fixed-applications/"
                        + application.get("applicationId").asLong() + "/decisions", JSON.writeValueAsString(Map.of(
                        "outcome", "APPROVED", "decisionRef", "CBHV-exempel-" + id.substring(id.length() - 3),
                        "decidedOn", from, "effectiveOn", from)));
            }
            count++;
        }
        return count;
    }

    private record Api(String baseUrl, String token, HttpClient http) {

        Api(String baseUrl, String token) {
            this(baseUrl, token, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
        }

        HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(10));
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        String require(String method, String path, String json) throws IOException, InterruptedException {
            HttpResponse<String> response = send(method, path, json);
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("demo data: " + method + " " + path + " was refused: "
                        + response.statusCode() + " " + response.body());
            }
            return response.body();
        }
    }
}
