package se.regionorebrolan.bhv.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Loads an example year so that the console shows something on first start: {@code visits} joint and ordinary
     * home visits of invented children at the demo centres, from January to today, and the year's grant. The same
     * visits every time (a fixed seed, source keys {@code DEMO-<n>}): a second start answers them as already stored.
     * The personal numbers are invented (valid checksums, children born the year before).
     */
    static int loadYear(String visitBaseUrl, String reportingBaseUrl, Tokens tokens, int visits)
            throws IOException, InterruptedException {
        LocalDate today = LocalDate.now(java.time.ZoneId.of("Europe/Stockholm"));
        int year = today.getYear();
        List<String> centres = new ArrayList<>();
        try (InputStream in = DemoData.class.getResourceAsStream("/bhv/demo-centres.json")) {
            JSON.readTree(in).get("centres").forEach(c -> centres.add(c.get("centreId").asText()));
        }
        java.util.Random random = new java.util.Random(year);
        ArrayNode batch = JSON.createArrayNode();
        int children = Math.max(1, visits / 3);
        for (int n = 0; n < visits; n++) {
            int child = random.nextInt(children);
            LocalDate born = LocalDate.of(year - 1, 1 + child % 12, 1 + child % 28);
            long day = java.time.temporal.ChronoUnit.DAYS.between(LocalDate.of(year, 1, 1), today);
            LocalDate visitDate = LocalDate.of(year, 1, 1).plusDays(day <= 0 ? 0 : random.nextInt((int) day + 1));
            boolean joint = random.nextInt(10) < 8;
            ObjectNode visit = batch.addObject();
            visit.put("sourceSystem", "cosmic").put("sourceVisitId", "DEMO-" + year + "-" + n)
                    .put("centreId", centres.get(child % centres.size()))
                    .put("childPersonnummer", personnummer(born, 100 + child % 800))
                    .put("visitDate", visitDate.toString());
            ArrayNode participants = visit.putArray("participants");
            participants.addObject().put("role", "BHV_NURSE").put("hsaId", "SE2321000164-N0000001");
            if (joint) {
                participants.addObject().put("role", "SOCIAL_SERVICES").put("organisation", "Örebro kommun");
            }
            visit.putArray("kvaCodes").add(joint ? "ZV509" : "UV100");
            if (random.nextInt(3) == 0) {
                visit.putArray("referrals").add(random.nextBoolean() ? "PRESCHOOL" : "DENTAL");
            }
            visit.put("interpreterUsed", random.nextInt(5) == 0);
            if (random.nextInt(2) == 0) {
                visit.putArray("riskFactors").add("FIRST_TIME_PARENT");
            }
        }
        String ehr = tokens.mint(Tokens.Spec.of("demo-data", List.of("ehr-integration"), null, Duration.ofMinutes(10))
                .sourceSystems(List.of("cosmic")));
        JsonNode answer = JSON.readTree(new Api(visitBaseUrl, ehr).require("POST", "/api/v1/visits/batch",
                JSON.writeValueAsString(batch)));
        new Api(reportingBaseUrl, tokens.mint("demo-data", List.of("bhv-admin"), null)).require("PUT",
                "/api/v1/grants/" + year, JSON.writeValueAsString(Map.of("amountReceived", "2500000.00",
                        "projectCode", "BHV-" + year + "-exempel")));
        return answer.get("accepted").asInt();
    }

    /** A personal number with a valid check digit (Luhn), {@code yyyyMMddNNNC}. */
    static String personnummer(LocalDate born, int serial) {
        String digits = born.format(java.time.format.DateTimeFormatter.ofPattern("yyMMdd")) + String.format("%03d", serial);
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = (digits.charAt(i) - '0') * (i % 2 == 0 ? 2 : 1);
            sum += d > 9 ? d - 9 : d;
        }
        return born.getYear() + digits.substring(2) + (10 - sum % 10) % 10;
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
