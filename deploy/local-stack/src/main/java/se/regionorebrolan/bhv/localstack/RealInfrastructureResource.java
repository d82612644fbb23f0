package se.regionorebrolan.bhv.localstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the real Kafka broker and PostgreSQL server of {@link TestInfrastructure}.
 * Each service tests against its own database on that server.
 */
public class RealInfrastructureResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "service_test";

    @Override
    public Map<String, String> start() {
        TestInfrastructure infra = TestInfrastructure.get();
        infra.postgres().createDatabase(DATABASE);
        TestTokens.install(infra.tokens());
        return Map.of(
                "mp.jwt.verify.publickey.location", infra.tokens().publicKey().toString(),
                "mp.jwt.verify.issuer", Tokens.LOCAL_ISSUER,
                "quarkus.datasource.reactive.url", infra.postgres().reactiveUrl(DATABASE),
                "quarkus.datasource.jdbc.url", infra.postgres().jdbcUrl(DATABASE),
                "quarkus.datasource.username", PostgresServer.USER,
                "quarkus.datasource.password", "trust",
                "kafka.bootstrap.servers", infra.kafka().bootstrapServers());
    }

    @Override
    public void stop() {
        // TestInfrastructure lives as long as the test JVM: other test classes reuse it.
    }
}
