package io.loginetl.it;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.loginetl.ConfigurationException;
import io.loginetl.LoginEtl;
import io.loginetl.demo.EmbeddedServers;
import io.loginetl.demo.SqsQueues;
import io.loginetl.masking.PiiMasker;
import io.loginetl.metrics.PipelineStats;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What one test owns on the shared real servers: its own database (so the pipeline creates user_logins, or
 * meets the table the test made) and its own source and dead-letter queues.
 */
final class Fixture implements AutoCloseable {

    /** The tests' masking key (base64 of 32 random bytes, as the pipeline requires), and a masker with it. */
    static final String MASKING_KEY = "Pnrqy2nIlTVDrw1Fv5wZr+dEh1dr+1yXoW0TiQ7P53Q=";
    static final PiiMasker MASKER = new PiiMasker(Base64.getDecoder().decode(MASKING_KEY));

    final EmbeddedServers servers = RealServers.get();
    final SqsClient sqs = servers.newSqsClient();
    final String name = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    final String queue = name;
    final String deadLetterQueue = name + "-dlq";
    final String queueUrl;
    final String deadLetterQueueUrl;
    final String jdbcUrl;

    Fixture(int visibilityTimeoutSeconds) throws SQLException {
        queueUrl = EmbeddedServers.createQueue(sqs, queue, visibilityTimeoutSeconds);
        deadLetterQueueUrl = EmbeddedServers.createQueue(sqs, deadLetterQueue, 30);
        try (Connection c = DriverManager.getConnection(servers.jdbcUrl(), servers.dbUser(), servers.dbPassword());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        jdbcUrl = servers.jdbcUrl().replace("/postgres", "/" + name);
    }

    Fixture() throws SQLException {
        this(30);
    }

    /** Pipeline settings for this fixture: its queues and database, test-sized batches and retries. */
    Properties settings() {
        Properties p = servers.pipelineProperties();
        p.setProperty("db.url", jdbcUrl);
        p.setProperty("sqs.queue", queue);
        p.setProperty("sqs.dead-letter-queue", deadLetterQueue);
        p.setProperty("pii.masking.secret", MASKING_KEY);
        p.setProperty("sqs.wait-time-seconds", "1");
        p.setProperty("batch.size", "50");
        p.setProperty("batch.timeout", "300");
        return p;
    }

    /** The contract's environment variables pointing at this fixture, for the jar in its own process. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SQS_ENDPOINT", servers.sqsEndpoint());
        env.put("SQS_QUEUE", queue);
        env.put("SQS_DEAD_LETTER_QUEUE", deadLetterQueue);
        env.put("AWS_REGION", EmbeddedServers.REGION);
        env.put("AWS_ACCESS_KEY_ID", EmbeddedServers.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EmbeddedServers.SECRET_KEY);
        env.put("DB_URL", jdbcUrl);
        env.put("DB_USER", servers.dbUser());
        env.put("DB_PASSWORD", servers.dbPassword());
        env.put("PII_MASKING_KEY", MASKING_KEY);
        return env;
    }

    /** {@code count} valid logins, user ids {@code prefix-0000}, {@code prefix-0001}, ... (unique per test), ips 10.x.y.z. */
    static List<String> logins(String prefix, int count) {
        List<String> logins = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            logins.add("{\"user_id\":\"%s-%04d\",\"ip\":\"10.%d.%d.%d\",\"locale\":\"RU\"}"
                    .formatted(prefix, i, prefix.length(), i / 250, i % 250));
        }
        return logins;
    }

    /** Sends the bodies; returns their SQS message ids in order. */
    List<String> send(List<String> bodies) {
        return SqsQueues.send(sqs, queueUrl, bodies);
    }

    /** Messages on a queue, visible or in flight. */
    int onQueue(String url) {
        return SqsQueues.count(sqs, url);
    }

    /** Messages received by a consumer and not yet deleted (invisible). */
    int inFlight(String url) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Takes every dead letter off the dead-letter queue, with its attributes. */
    List<Message> drainDeadLetters() {
        return SqsQueues.drain(sqs, deadLetterQueueUrl);
    }

    Connection db() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, servers.dbUser(), servers.dbPassword());
    }

    /** Creates user_logins as a user may have (the assignment's DDL), with {@code app_version} of the given type. */
    void createUserLogins(String appVersionType) throws SQLException {
        try (Connection c = db(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE user_logins(user_id varchar(128), device_type varchar(32), masked_ip varchar(256), "
                    + "masked_device_id varchar(256), locale varchar(32), app_version " + appVersionType + ", create_date date)");
        }
    }

    long rows() {
        try (Connection c = db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM user_logins")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1; // no table yet, or the database is down
        }
    }

    /** Every row, each as column -> value (as text), ordered by user_id. */
    List<Map<String, String>> allRows() throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM user_logins ORDER BY user_id")) {
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Override
    public void close() {
        sqs.close();
    }

    /** The counters of a running pipeline. */
    static PipelineStats stats(LoginEtl.Running pipeline) {
        PipelineStats stats = pipeline.context().getRegistry().lookupByNameAndType("pipelineStats", PipelineStats.class);
        if (stats == null) {
            throw new AssertionError("no pipelineStats in the registry");
        }
        return stats;
    }

    /** The configuration error a start of the pipeline with these settings stops with (fails the test if it starts). */
    static ConfigurationException startRefusal(Properties settings) {
        Exception e = assertThrows(Exception.class, () -> LoginEtl.start(settings).close());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException c) {
                return c;
            }
        }
        throw new AssertionError("not a configuration error", e);
    }
}
