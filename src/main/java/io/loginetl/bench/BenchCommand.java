package io.loginetl.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loginetl.LoginEtl;
import io.loginetl.demo.EmbeddedServers;
import io.loginetl.demo.SampleLogins;
import io.loginetl.masking.PiiMasker;
import io.loginetl.sqs.SqsClients;
import io.loginetl.sqs.SqsQueues;
import org.postgresql.PGConnection;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code bench [--messages N]}: N generated logins (with duplicate ips and device ids) through the pipeline on the
 * configured servers (DB_URL set: that PostgreSQL and the SQS of SQS_ENDPOINT/AWS_REGION), else on the embedded
 * ones; then, on the same servers in the same run, the baselines: a bare SDK drain, COPY of N rows, and a naive
 * one-message-at-a-time pipeline. Prints the rates and their ratios. Each run uses queues and a schema of its own
 * and removes them at the end.
 */
public final class BenchCommand {

    private static final int NAIVE_SAMPLE = 2_000;

    private final PrintStream out;
    private final String runId = "b" + Long.toString(System.currentTimeMillis(), 36);

    public BenchCommand(PrintStream out) {
        this.out = out;
    }

    public int run(String[] args) throws Exception {
        int messages = 200_000;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--messages") && i + 1 < args.length) {
                messages = Integer.parseInt(args[++i].replace("_", ""));
            } else {
                throw new IllegalArgumentException("bench takes [--messages N], not " + args[i]);
            }
        }
        String dbUrl = System.getenv("DB_URL");
        EmbeddedServers embedded = dbUrl == null || dbUrl.isBlank() ? EmbeddedServers.start() : null;
        try {
            Servers servers = embedded != null ? Servers.of(embedded) : Servers.fromEnvironment();
            return bench(servers, messages);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private int bench(Servers servers, int messages) throws Exception {
        out.printf("bench: %,d messages, %s servers, run %s%n", messages, servers.embedded ? "embedded" : "configured", runId);
        try (SqsClient sqs = servers.sqs()) {
            String queue = EmbeddedServers.createQueue(sqs, runId, 300);
            String deadLetters = EmbeddedServers.createQueue(sqs, runId + "-dlq", 300);
            String schemaUrl = withSchema(servers.dbUrl, runId);
            try (Connection c = servers.connect(servers.dbUrl); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + runId);
            }
            try {
                List<String> bodies = SampleLogins.generate(messages, 42);
                load(sqs, queue, bodies);

                // the pipeline
                Properties settings = new Properties();
                settings.putAll(servers.pipelineProperties());
                settings.setProperty("db.url", schemaUrl);
                settings.setProperty("sqs.queue", runId);
                settings.setProperty("sqs.dead-letter-queue", runId + "-dlq");
                settings.setProperty("pii.masking.secret", randomKey());
                settings.setProperty("camel.management.port", String.valueOf(EmbeddedServers.freePort()));
                resetPeaks();
                double seconds;
                long rows;
                try (LoginEtl.Running pipeline = LoginEtl.start(settings); Connection c = servers.connect(schemaUrl)) {
                    while ((rows = count(c, "login_etl_messages")) < messages) {
                        Thread.sleep(100);
                    }
                    // first to last commit: the rate once running, without the JVM's and Camel's start
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                            "SELECT extract(epoch FROM max(written_at) - min(written_at)) FROM login_etl_messages")) {
                        rs.next();
                        seconds = Math.max(rs.getDouble(1), 0.001);
                    }
                }
                long heapPeak = heapPeak();
                long distinct;
                try (Connection c = servers.connect(schemaUrl)) {
                    rows = count(c, "user_logins");
                    distinct = count(c, "login_etl_messages");
                }
                double pipelineRate = messages / seconds;
                out.printf("pipeline        %,10.0f messages/s  (%,d, first to last commit %.1f s; peak heap %d MB, peak RSS %s)%n", pipelineRate,
                        messages, seconds, heapPeak >> 20, peakRss());
                out.printf("rows verified   %,d = messages %,d: %s (distinct message ids %,d)%n", rows, messages,
                        rows == messages && distinct == messages ? "yes" : "NO", distinct);

                // baselines, same servers, same run
                load(sqs, queue, bodies);
                double drainRate = bareDrain(sqs, queue, messages, 2);
                out.printf("bare SQS drain  %,10.0f messages/s  (2 threads: ReceiveMessage 10 + DeleteMessageBatch)%n", drainRate);
                double copyRate;
                try (Connection c = servers.connect(schemaUrl)) {
                    copyRate = copy(c, messages);
                }
                out.printf("COPY            %,10.0f rows/s%n", copyRate);
                int sample = Math.min(messages, NAIVE_SAMPLE);
                load(sqs, queue, bodies.subList(0, sample));
                double naiveRate;
                try (Connection c = servers.connect(schemaUrl)) {
                    naiveRate = naive(sqs, queue, c, sample);
                }
                out.printf("naive           %,10.0f messages/s  (%,d messages: one at a time, insert + commit, delete)%n", naiveRate, sample);
                out.printf("ratios          pipeline / bare drain %.2f, pipeline / naive %.1f%n", pipelineRate / drainRate,
                        pipelineRate / naiveRate);
                return rows == messages && distinct == messages ? 0 : 1;
            } finally {
                sqs.deleteQueue(b -> b.queueUrl(queue));
                sqs.deleteQueue(b -> b.queueUrl(deadLetters));
                try (Connection c = servers.connect(servers.dbUrl); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + runId + " CASCADE");
                }
            }
        }
    }

    /** Sends the bodies with 8 senders, ten per call. */
    private static void load(SqsClient sqs, String queue, List<String> bodies) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sent = new ArrayList<>();
            int slice = (bodies.size() + 7) / 8;
            for (int from = 0; from < bodies.size(); from += slice) {
                List<String> part = bodies.subList(from, Math.min(bodies.size(), from + slice));
                sent.add(senders.submit(() -> SqsQueues.send(sqs, queue, part)));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            senders.shutdown();
        }
    }

    /** ReceiveMessage of 10 and DeleteMessageBatch on {@code threads} threads until {@code messages} are gone. */
    static double bareDrain(SqsClient sqs, String queue, int messages, int threads) throws Exception {
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    while (done.get() < messages) {
                        List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
                        if (got.isEmpty()) {
                            continue;
                        }
                        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                        for (int i = 0; i < got.size(); i++) {
                            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(got.get(i).receiptHandle()).build());
                        }
                        sqs.deleteMessageBatch(b -> b.queueUrl(queue).entries(entries));
                        done.addAndGet(got.size());
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdown();
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** COPY of {@code rows} login rows into a table of the run's schema. */
    private static double copy(Connection c, int rows) throws SQLException, IOException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE copy_baseline (LIKE user_logins)");
        }
        StringBuilder csv = new StringBuilder(rows * 200);
        for (int i = 0; i < rows; i++) {
            csv.append("u-").append(i).append(",android,").append("a".repeat(64)).append(',').append("b".repeat(64))
                    .append(",RU,2003000,2026-11-21\n");
        }
        long start = System.nanoTime();
        c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY copy_baseline FROM STDIN WITH (FORMAT csv)",
                new StringReader(csv.toString()));
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    /** The take-home script: one message at a time, parse, mask, one insert and commit, one delete. */
    private static double naive(SqsClient sqs, String queue, Connection c, int messages) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE naive_baseline (LIKE user_logins)");
        }
        c.setAutoCommit(true);
        ObjectMapper json = new ObjectMapper();
        PiiMasker masker = new PiiMasker(randomKey().getBytes(StandardCharsets.UTF_8));
        int done = 0;
        long start = System.nanoTime();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO naive_baseline (user_id, device_type, masked_ip,"
                + " masked_device_id, locale, create_date) VALUES (?, ?, ?, ?, ?, current_date)")) {
            while (done < messages) {
                for (Message m : sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(1).waitTimeSeconds(1)).messages()) {
                    Map<?, ?> login = json.readValue(m.body(), Map.class);
                    insert.setString(1, (String) login.get("user_id"));
                    insert.setString(2, (String) login.get("device_type"));
                    insert.setString(3, masker.mask((String) login.get("ip")));
                    insert.setString(4, masker.mask((String) login.get("device_id")));
                    insert.setString(5, (String) login.get("locale"));
                    insert.executeUpdate();
                    sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
                    done++;
                }
            }
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }

    private static long count(Connection c, String table) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0; // not created yet
        }
    }

    private static String withSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return java.util.HexFormat.of().formatHex(key);
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long heapPeak() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    /** Peak resident set of this process (Linux), for the whole run so far. */
    private static String peakRss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                    .map(l -> (Long.parseLong(l.replaceAll("\\D", "")) >> 10) + " MB").findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Where the bench runs: the embedded servers, or those the environment names. */
    private record Servers(boolean embedded, String dbUrl, String dbUser, String dbPassword, Properties pipelineProperties,
            java.util.function.Supplier<SqsClient> sqsFactory) {

        static Servers of(EmbeddedServers s) {
            return new Servers(true, s.jdbcUrl(), s.dbUser(), s.dbPassword(), s.pipelineProperties(), s::newSqsClient);
        }

        static Servers fromEnvironment() {
            Properties p = new Properties(); // the rest comes from application.properties and the environment
            String endpoint = env("SQS_ENDPOINT");
            String region = env("AWS_REGION").isBlank() ? "us-east-1" : env("AWS_REGION");
            return new Servers(false, env("DB_URL"), env("DB_USER"), env("DB_PASSWORD"), p,
                    () -> SqsClients.create(endpoint, region, env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")));
        }

        private static String env(String name) {
            String value = System.getenv(name);
            return value == null ? "" : value;
        }

        SqsClient sqs() {
            return sqsFactory.get();
        }

        Connection connect(String url) throws SQLException {
            return DriverManager.getConnection(url, dbUser.isBlank() ? null : dbUser, dbPassword.isBlank() ? null : dbPassword);
        }
    }
}
