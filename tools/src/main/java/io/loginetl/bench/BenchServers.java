package io.loginetl.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import io.loginetl.demo.EmbeddedServers;
import io.loginetl.sqs.SqsClients;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where the bench runs: the embedded servers, or those the environment names. {@link #environment} is what a
 * JVM started by the bench needs on top of the bench's own environment to reach them.
 */
record BenchServers(boolean embedded, String dbUrl, String dbUser, String dbPassword, Map<String, String> environment,
        java.util.function.Supplier<SqsClient> sqsFactory) {

    static BenchServers of(EmbeddedServers s) {
        return new BenchServers(true, s.jdbcUrl(), s.dbUser(), s.dbPassword(), Map.of(
                "SQS_ENDPOINT", s.sqsEndpoint(), "AWS_REGION", EmbeddedServers.REGION,
                "AWS_ACCESS_KEY_ID", EmbeddedServers.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", EmbeddedServers.SECRET_KEY,
                "DB_URL", s.jdbcUrl(), "DB_USER", s.dbUser(), "DB_PASSWORD", s.dbPassword()), s::newSqsClient);
    }

    static BenchServers fromEnvironment() {
        return new BenchServers(false, env("DB_URL"), env("DB_USER"), env("DB_PASSWORD"), Map.of(), SqsClients::fromEnvironment);
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null ? "" : value;
    }

    /**
     * The same servers, with every JVM the bench starts reaching SQS at {@code endpoint} (its delaying proxy); the
     * bench's own client (loading, warm-up, the latency phase's sender) stays direct.
     */
    BenchServers through(String endpoint) {
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("SQS_ENDPOINT", endpoint);
        return new BenchServers(embedded, dbUrl, dbUser, dbPassword, Map.copyOf(env), sqsFactory);
    }

    SqsClient sqs() {
        return sqsFactory.get();
    }

    Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, dbUser.isBlank() ? null : dbUser, dbPassword.isBlank() ? null : dbPassword);
    }
}
