package se.regionorebrolan.bhv.reporting.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import se.regionorebrolan.bhv.reporting.config.ReportingConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the console asks compensation-service, with the signed-in user's own token (so that user's roles decide):
 * the months finance has closed ({@code GET /api/v1/periods}). Blocking; call it on a worker thread.
 */
@ApplicationScoped
public class CompensationClient {

    private static final Logger LOG = Logger.getLogger(CompensationClient.class);

    private final Optional<String> baseUrl;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public CompensationClient(ReportingConfig config, ObjectMapper json) {
        this.baseUrl = config.compensationUrl();
        this.json = json;
    }

    /** The closed months ({@code YYYY-MM}), or empty when compensation-service cannot say (not set, away, refused). */
    public Optional<Set<String>> closedMonths(String bearerToken) {
        if (baseUrl.isEmpty() || bearerToken == null) {
            return Optional.empty();
        }
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(baseUrl.get()
                            + "/api/v1/periods")).header("Authorization", "Bearer " + bearerToken)
                    .header("Accept", "application/json").timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                LOG.infof("compensation-service answered %d for the closed months", answer.statusCode());
                return Optional.empty();
            }
            Set<String> closed = new TreeSet<>();
            for (JsonNode period : json.readTree(answer.body())) {
                closed.add(period.path("period").asText());
            }
            return Optional.of(closed);
        } catch (java.io.IOException e) {
            LOG.infof("the closed months could not be read from compensation-service: %s", e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
