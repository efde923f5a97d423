package io.loginetl.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.loginetl.LoginEtl;
import io.loginetl.demo.EmbeddedServers;
import io.loginetl.demo.SampleLogins;
import io.loginetl.demo.SqsQueues;
import org.postgresql.PGConnection;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code bench}: N generated logins (with duplicate ips and device ids) through the pipeline on the configured servers
 * (DB_URL set: that PostgreSQL and the SQS of SQS_ENDPOINT/AWS_REGION), else on the embedded ones; then, paced at half
 * the rate it reached, more logins for its latency; then, on the same servers in the same run, the baselines: a bare
 * SDK drain, COPY of N rows, and a naive one-message-at-a-time pipeline. Prints the rates, memory, latency and the
 * ratios. The pipeline and the drain each run in a fresh JVM with the same options, so neither starts warmer, and
 * both on an SQS server warmed before anything is timed ({@link ServerWarmUp}). Each run uses queues and a schema of
 * its own and removes them at the end.
 */
public final class BenchCommand {

    private static final int NAIVE_SAMPLE = 2_000;
    /** The bare drain's thread counts, each over {@link #DRAIN_SAMPLE} messages; the best, run again over all the messages, is the reference. */
    private static final List<Integer> DRAIN_THREADS = List.of(2, 8, 32);
    /** Messages each bare drain takes. */
    private static final int DRAIN_SAMPLE = 10_000;
    /** The naive loop is timed warm, its best case, after this many messages. */
    private static final int NAIVE_WARM_UP = 1_000;
    /** Messages per warm-up round (fewer for a small run). */
    private static final int WARM_UP_ROUND = 25_000;
    /** "An idle pipeline makes no more than a few SQS calls a second" (issue 18). */
    private static final int IDLE_CALLS_PER_SECOND = 3;
    /** Threads that send and drain the warm-up rounds. */
    private static final int WARM_UP_THREADS = 8;

    private final PrintStream out;
    private final String runId = "b" + Long.toString(System.currentTimeMillis(), 36);

    public BenchCommand(PrintStream out) {
        this.out = out;
    }

    public int run(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        String dbUrl = System.getenv("DB_URL");
        EmbeddedServers embedded = dbUrl == null || dbUrl.isBlank() ? EmbeddedServers.start() : null;
        try {
            BenchServers servers = embedded != null ? BenchServers.of(embedded) : BenchServers.fromEnvironment();
            if (options.sqsDelayMillis() == 0) {
                return bench(servers, options);
            }
            String endpoint = servers.environment().getOrDefault("SQS_ENDPOINT", System.getenv().getOrDefault("SQS_ENDPOINT", ""));
            URI uri = endpoint.isBlank() ? null : URI.create(endpoint);
            if (uri == null || !"http".equals(uri.getScheme())) {
                throw new IllegalArgumentException("bench: --sqs-delay needs an http SQS_ENDPOINT (ElasticMQ, LocalStack, or the "
                        + "embedded servers) to put its delaying proxy in front of, not " + (endpoint.isBlank() ? "AWS" : endpoint));
            }
            try (DelayProxy proxy = new DelayProxy(uri.getHost(), uri.getPort(), options.sqsDelayMillis())) {
                return bench(servers.through("http://127.0.0.1:" + proxy.port()), options);
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private int bench(BenchServers servers, BenchOptions o) throws Exception {
        int messages = o.messages();
        out.printf("bench: %,d messages, %s servers, %s consumers, pipeline and drain JVMs with [%s], SQS delay %d ms each way, run %s%n",
                messages, servers.embedded() ? "embedded" : "configured", o.consumers() > 0 ? o.consumers() : "default",
                String.join(" ", o.jvm()), o.sqsDelayMillis(),
                runId);
        try (SqsClient sqs = servers.sqs()) {
            String queue = EmbeddedServers.createQueue(sqs, runId, 300);
            String deadLetters = EmbeddedServers.createQueue(sqs, runId + "-dlq", 300);
            String schemaUrl = withSchema(servers.dbUrl(), runId);
            try (Connection c = servers.connect(servers.dbUrl()); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + runId);
            }
            try {
                List<String> bodies = SampleLogins.generate(messages, 42);
                long loadStart = System.nanoTime();
                load(sqs, queue, bodies);
                out.printf("loaded          %,d messages in %.1f s%n", messages, (System.nanoTime() - loadStart) / 1e9);

                int roundSize = Math.min(WARM_UP_ROUND, Math.max(1_000, messages / 4));
                ServerWarmUp.Result warm = ServerWarmUp.run(sqs, runId + "-warmup", WARM_UP_THREADS, roundSize,
                        servers.embedded(), (url, round) -> load(sqs, url, round));
                out.println("warm-up         " + warm.describe());

                Map<String, String> env = new HashMap<>(servers.environment());
                env.put("SQS_QUEUE", runId);
                env.put("SQS_DEAD_LETTER_QUEUE", runId + "-dlq");
                env.put("DB_URL", schemaUrl);
                env.put("PII_MASKING_KEY", randomKey());
                env.put("LOG_FORMAT", "plain");
                PipelineRun pipeline = new PipelineRun(out, o, env, () -> servers.connect(schemaUrl));
                boolean verified;
                try {
                    pipeline.start();
                    pipeline.awaitDone(messages);
                    verified = pipeline.report(messages);
                    pipeline.latency(sqs, queue, messages);
                    pipeline.idle(o.latencySeconds());
                } catch (Exception e) {
                    try {
                        pipeline.stop();
                    } catch (Exception stopping) {
                        e.addSuppressed(stopping);
                    }
                    throw e;
                }
                verified &= pipeline.stop() == 0;

                // baselines, same servers, same run: the bare drain at several thread counts, the best the reference
                double drainRate = 0;
                int bestThreads = 0;
                List<Integer> threadCounts = new ArrayList<>(DRAIN_THREADS);
                if (o.consumers() > 0 && !threadCounts.contains(o.consumers())) {
                    threadCounts.add(0, o.consumers());
                }
                int drainSample = Math.min(messages, DRAIN_SAMPLE);
                for (int threads : threadCounts) {
                    load(sqs, queue, bodies.subList(0, drainSample));
                    double rate = bareDrain(servers, o, queue, drainSample, threads);
                    out.printf("bare SQS drain  %,10.0f messages/s  (%d threads, %,d messages: ReceiveMessage 10 + DeleteMessageBatch;"
                            + " a JVM of its own)%n", rate, threads, drainSample);
                    if (rate > drainRate) {
                        drainRate = rate;
                        bestThreads = threads;
                    }
                }
                // the reference over as many messages as the pipeline ran: a short drain's warm-up weighs more
                if (drainSample < messages) {
                    load(sqs, queue, bodies);
                    drainRate = bareDrain(servers, o, queue, messages, bestThreads);
                    out.printf("bare SQS drain  %,10.0f messages/s  (%d threads, the best above, over all %,d messages: the reference)%n",
                            drainRate, bestThreads, messages);
                }
                double copyRate;
                try (Connection c = servers.connect(schemaUrl)) {
                    copyRate = copy(c, messages);
                }
                out.printf("COPY            %,10.0f rows/s%n", copyRate);
                // one message at a time costs three round trips: fewer of them at a delay, so the run stays short
                int sample = Math.min(messages * 2 / 3, Math.max(200, NAIVE_SAMPLE * 2 / (2 + o.sqsDelayMillis())));
                int naiveWarmUp = Math.min(NAIVE_WARM_UP, sample / 2);
                load(sqs, queue, bodies.subList(0, naiveWarmUp + sample));
                double naiveRate = naive(servers, o, queue, schemaUrl, naiveWarmUp, sample);
                out.printf("naive           %,10.0f messages/s  (%,d messages timed after %,d untimed: one at a time, insert + commit, delete;"
                        + " a JVM of its own)%n", naiveRate, sample, naiveWarmUp);
                double toDrain = pipeline.rate / drainRate;
                double toNaive = pipeline.rate / naiveRate;
                double p99Limit = batchTimeoutSeconds(o.jvm()) + 1;
                out.printf("ratios          pipeline / best bare drain (%d threads) %.3f, pipeline / naive %.1f (best bare drain / naive %.1f)%n",
                        bestThreads, toDrain, toNaive, drainRate / naiveRate);
                out.printf("targets         best bare drain ratio >= 0.85: %s; p99 <= batch timeout + 1 s (%.1f s): %s;"
                        + " idle <= %d SQS calls/s: %s%n", yes(toDrain >= 0.85), p99Limit, yes(pipeline.p99 <= p99Limit),
                        IDLE_CALLS_PER_SECOND, yes(pipeline.idleCallsPerSecond <= IDLE_CALLS_PER_SECOND));
                return verified ? 0 : 1;
            } finally {
                sqs.deleteQueue(b -> b.queueUrl(queue));
                sqs.deleteQueue(b -> b.queueUrl(deadLetters));
                try (Connection c = servers.connect(servers.dbUrl()); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + runId + " CASCADE");
                }
            }
        }
    }

    private static String yes(boolean met) {
        return met ? "met" : "MISSED";
    }

    /** The bare drain in a JVM of its own with the pipeline's JVM options; messages per second after its first batch. */
    private static double bareDrain(BenchServers servers, BenchOptions o, String queue, int messages, int threads) throws Exception {
        String[] f = ChildJvm.result(o.jvm(), servers.environment(), Duration.ofSeconds(600 + messages / 100), "drained ",
                BareDrain.class.getName(), queue, Integer.toString(messages), Integer.toString(threads));
        long drained = Long.parseLong(f[1]);
        long firstBatch = Long.parseLong(f[3]);
        return (drained - firstBatch) / Math.max(1e-3, Double.parseDouble(f[5]));
    }

    /** The naive loop in a JVM of its own with the same options, on the run's queue and schema. */
    private static double naive(BenchServers servers, BenchOptions o, String queue, String schemaUrl, int warmUp, int messages)
            throws Exception {
        Map<String, String> env = new HashMap<>(servers.environment());
        env.put("DB_URL", schemaUrl);
        env.put("PII_MASKING_KEY", randomKey());
        String[] f = ChildJvm.result(o.jvm(), env, Duration.ofSeconds(600), "naive ", NaiveLoop.class.getName(), queue,
                Integer.toString(warmUp), Integer.toString(messages));
        return Double.parseDouble(f[1]);
    }

    /**
     * batch.timeout of the configuration the pipeline reads, in seconds: a {@code -Dbatch.timeout=} among the JVM
     * options, else the settings as the pipeline resolves them.
     */
    private static double batchTimeoutSeconds(List<String> jvmOptions) {
        String value = jvmOptions.stream().filter(o -> o.startsWith("-Dbatch.timeout=")).reduce((a, b) -> b)
                .map(o -> o.substring("-Dbatch.timeout=".length()))
                .orElseGet(() -> LoginEtl.settings(null, "batch.timeout").get("batch.timeout"));
        try {
            return Long.parseLong(value.trim()) / 1000.0;
        } catch (NumberFormatException e) {
            return 1.0;
        }
    }

    /** Sends the bodies with 8 senders, ten per call. */
    static void load(SqsClient sqs, String queue, List<String> bodies) throws Exception {
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

    /** COPY of {@code rows} login rows into a table of the run's schema. */
    private static double copy(Connection c, int rows) throws SQLException, IOException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE copy_baseline (LIKE user_logins)");
        }
        StringBuilder csv = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 8, rows * 200L));
        for (int i = 0; i < rows; i++) {
            csv.append("u-").append(i).append(",android,").append("a".repeat(64)).append(',').append("b".repeat(64))
                    .append(",RU,2003000,2026-11-21\n");
        }
        long start = System.nanoTime();
        c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY copy_baseline FROM STDIN WITH (FORMAT csv)",
                new StringReader(csv.toString()));
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    static long count(Connection c, String table) {
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

    static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }
}
