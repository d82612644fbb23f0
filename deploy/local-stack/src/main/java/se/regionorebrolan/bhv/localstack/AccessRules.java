package se.regionorebrolan.bhv.localstack;

import io.restassured.RestAssured;
import io.restassured.response.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * For a service's access test: the endpoints its OpenAPI document lists must be exactly those of the roles table
 * (so a new endpoint cannot slip through), and every one answers 401 without a token, with a token of another issuer's key and with an expired one, 403 to
 * each role not in its table row, and neither to the roles in it — all as problem+json.
 */
public final class AccessRules {

    /** Every role of the system (README, "Security"). */
    public static final List<String> ROLES = List.of("ehr-integration", "finance", "bhv-admin", "reporting", "centre");

    /** One row of the roles table: {@code GET /api/v1/visits/{visitId}} and the roles that may call it. */
    public record Rule(String method, String path, Set<String> roles) {
        public static Rule of(String endpoint, String... roles) {
            String[] parts = endpoint.split(" ", 2);
            return new Rule(parts[0], parts[1], Set.of(roles));
        }

        /** The endpoint as the OpenAPI document names it (a rule's path may carry a query for the call). */
        String endpoint() {
            return method + " " + (path.contains("?") ? path.substring(0, path.indexOf('?')) : path);
        }
    }

    private AccessRules() {
    }

    /** The endpoints under {@code /api/} of the running service's OpenAPI document, as "METHOD path". */
    /**
     * The service-kit's operator endpoints, bhv-admin only, as every service has them: the audit trail and the
     * dead letters, and where the service has an outbox its parked events.
     */
    public static List<Rule> kitRules(boolean outbox) {
        List<Rule> rules = new java.util.ArrayList<>(List.of(
                Rule.of("GET /api/v1/admin/dead-letters", "bhv-admin"),
                Rule.of("POST /api/v1/admin/dead-letters/replay?topic=bhv.none.v1", "bhv-admin"),
                Rule.of("GET /api/v1/audit", "bhv-admin")));
        if (outbox) {
            rules.addAll(List.of(Rule.of("GET /api/v1/admin/outbox/parked", "bhv-admin"),
                    Rule.of("POST /api/v1/admin/outbox/parked/{eventId}/release", "bhv-admin"),
                    Rule.of("POST /api/v1/admin/outbox/parked/{eventId}/discard", "bhv-admin")));
        }
        return rules;
    }

    public static Set<String> documentedEndpoints() {
        Map<String, Map<String, Object>> paths = RestAssured.given().header("Authorization", "none")
                .get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath().getMap("paths");
        Set<String> endpoints = new TreeSet<>();
        paths.forEach((path, operations) -> {
            if (path.startsWith("/api/")) {
                operations.keySet().stream().filter(m -> Set.of("get", "post", "put", "delete", "patch").contains(m))
                        .forEach(m -> endpoints.add(m.toUpperCase() + " " + path));
            }
        });
        return endpoints;
    }

    /** Checks every rule; answers the failures (empty when all hold), so a test can show them all at once. */
    public static List<String> check(List<Rule> rules, Tokens tokens, String centre) {
        List<String> failures = new ArrayList<>();
        Set<String> documented = documentedEndpoints();
        Set<String> tabled = new TreeSet<>();
        rules.forEach(r -> tabled.add(r.endpoint()));
        if (!documented.equals(tabled)) {
            failures.add("the roles table " + tabled + " is not the OpenAPI document's endpoints " + documented);
        }
        Tokens stranger;
        try {
            Path folder = Files.createTempDirectory("bhv-stranger-keys-");
            stranger = Tokens.in(folder); // its signing key is read into memory: the files are not left behind
            TestInfrastructure.deleteRecursively(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Rule rule : rules) {
            expect(failures, rule, "no token", call(rule, "none"), 401);
            expect(failures, rule, "another key's token",
                    call(rule, "Bearer " + stranger.mint("x", ROLES, centre)), 401);
            expect(failures, rule, "an expired token",
                    call(rule, "Bearer " + tokens.mint("x", ROLES, centre, Duration.ofMinutes(-5))), 401);
            for (String role : ROLES) {
                Response response = call(rule, "Bearer " + tokens.mint("x", List.of(role), centre));
                if (rule.roles().contains(role)) {
                    if (response.statusCode() == 401 || response.statusCode() == 403) {
                        failures.add(rule.endpoint() + " refuses its role " + role + ": " + response.statusCode());
                    }
                } else {
                    expect(failures, rule, "role " + role, response, 403);
                }
            }
        }
        return failures;
    }

    /**
     * Tokens bound to their purpose (CONTRACT.md, "Tokens"), on one GET endpoint that a token with every role may
     * read: only a token of our issuer, signed RS256 with its key, for our audience, alive and issued for at most 12
     * hours passes; 60 s of clock skew are allowed on its expiry. Answers the failures.
     */
    public static List<String> checkTokens(Tokens tokens, String path) {
        List<String> failures = new ArrayList<>();
        Tokens.Spec good = Tokens.Spec.of("x", ROLES, null, Duration.ofHours(1));
        java.time.Instant now = java.time.Instant.now();
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("another issuer with our key", tokens.mint(good.issuer("https://idp.example/other")));
        refused.put("alg none", Tokens.unsigned(good));
        byte[] publicKey;
        try {
            publicKey = Files.readAllBytes(tokens.publicKey());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        refused.put("HS256 keyed with our public key", Tokens.hs256(good, publicKey));
        refused.put("expired beyond the clock skew",
                tokens.mint(good.issuedAt(now.minus(Duration.ofMinutes(62)))));
        refused.put("another audience", tokens.mint(good.audience("another-system")));
        refused.put("no audience", tokens.mint(good.audience(null)));
        refused.put("issued for 13 hours", tokens.mint(new Tokens.Spec(good.issuer(), good.audience(), "x", ROLES,
                null, null, now, Duration.ofHours(13))));
        refused.forEach((what, token) -> expect(failures, new Rule("GET", path, Set.of()), what,
                call(new Rule("GET", path, Set.of()), "Bearer " + token), 401));
        Map<String, String> accepted = Map.of(
                "expired 30 s ago, within the clock skew", tokens.mint(good.issuedAt(now.minus(Duration.ofSeconds(3630)))),
                "issued for exactly 12 hours", tokens.mint(new Tokens.Spec(good.issuer(), good.audience(), "x", ROLES,
                        null, null, now, Duration.ofHours(12))));
        accepted.forEach((what, token) -> {
            int status = call(new Rule("GET", path, Set.of()), "Bearer " + token).statusCode();
            if (status == 401 || status == 403) {
                failures.add("GET " + path + " refuses a token " + what + ": " + status);
            }
        });
        // a service remembers a verified token for a moment (VerifiedTokens): only that exact text
        String once = tokens.mint(good);
        for (int i = 0; i < 2; i++) {
            int status = call(new Rule("GET", path, Set.of()), "Bearer " + once).statusCode();
            if (status == 401 || status == 403) {
                failures.add("GET " + path + " refuses a good token on call " + (i + 1) + ": " + status);
            }
        }
        String[] parts = once.split("\\.");
        String otherPayload = tokens.mint(Tokens.Spec.of("y", List.of("bhv-admin"), null, Duration.ofHours(1)))
                .split("\\.")[1];
        Map<String, String> tampered = Map.of(
                "just accepted, its signature altered", parts[0] + "." + parts[1] + "."
                        + (parts[2].charAt(0) == 'A' ? 'B' : 'A') + parts[2].substring(1),
                "just accepted, another payload under its signature", parts[0] + "." + otherPayload + "." + parts[2]);
        tampered.forEach((what, token) -> expect(failures, new Rule("GET", path, Set.of()), what,
                call(new Rule("GET", path, Set.of()), "Bearer " + token), 401));
        return failures;
    }

    private static void expect(List<String> failures, Rule rule, String who, Response response, int status) {
        if (response.statusCode() != status) {
            failures.add(rule.endpoint() + " with " + who + ": " + response.statusCode() + " instead of " + status);
        } else if (!String.valueOf(response.contentType()).startsWith("application/problem+json")) {
            failures.add(rule.endpoint() + " with " + who + ": " + status + " is not problem+json");
        }
    }

    private static Response call(Rule rule, String authorization) {
        String path = rule.path()
                // a year no other test uses: an allowed call may really close a period or book a month
                .replace("{year}", "2001").replace("{period}", "2001-01")
                .replace("{visitId}", UUID.randomUUID().toString()).replace("{eventId}", UUID.randomUUID().toString())
                .replace("{centreId}", "SE2321000164-E000000000001").replace("{costId}", "1")
                .replace("{applicationId}", "1");
        var request = RestAssured.given().header("Authorization", authorization);
        if (rule.method().equals("POST") || rule.method().equals("PUT")) {
            request = request.contentType("application/json").body("{}");
        }
        return request.request(rule.method(), path);
    }
}
