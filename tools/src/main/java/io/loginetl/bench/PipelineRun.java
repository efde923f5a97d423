package io.loginetl.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.loginetl.demo.EmbeddedServers;
import io.loginetl.demo.SampleLogins;
import io.loginetl.demo.SqsQueues;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The pipeline as users run it: the jar's main class in a JVM of its own, configured through the environment
 * (the contract's variables) on the run's queue and schema. Its progress, heap and latency come from its
 * Prometheus endpoint, its resident memory from /proc; rows and rate from the database.
 */
final class PipelineRun {

    /** Opens a connection to the run's schema. */
    interface Database {
        Connection connect() throws SQLException;
    }

    private static final String LATENCY = "login_etl_end_to_end_latency_seconds";
    private static final int PACED_SENDERS = 4;

    private final PrintStream out;
    private final BenchOptions options;
    private final Map<String, String> env;
    private final Database database;
    private final int port = EmbeddedServers.freePort();
    private final long[] heapByQuarter = new long[4];
    private final long[] rssByQuarter = new long[4];
    private ChildJvm jvm;
    double rate;
    private double maxRate;
    double p99 = Double.NaN;
    double idleCallsPerSecond = Double.NaN;

    /** {@code env}: what the pipeline's JVM needs on top of the bench's environment (servers, queue, schema, key). */
    PipelineRun(PrintStream out, BenchOptions options, Map<String, String> env, Database database) {
        this.out = out;
        this.options = options;
        this.env = env;
        this.database = database;
    }

    void start() throws IOException {
        List<String> jvmOptions = new ArrayList<>(options.jvm());
        jvmOptions.add("-Dcamel.management.port=" + port);
        if (options.consumers() > 0) {
            jvmOptions.add("-Dsqs.consumers=" + options.consumers());
        }
        jvm = ChildJvm.start(jvmOptions, env, "io.loginetl.LoginEtlApplication");
    }

    private String metrics() {
        return ChildJvm.scrape("http://127.0.0.1:" + port + "/observe/metrics");
    }

    /** Messages done: written, skipped as redeliveries, or dead-lettered. */
    private static long done(String metrics) {
        return Math.round(ChildJvm.sample(metrics, "login_etl_rows_written_total", "")
                + ChildJvm.sample(metrics, "login_etl_duplicates_skipped_total", "")
                + ChildJvm.sample(metrics, "login_etl_dead_letters_total", ""));
    }

    /** Waits until {@code total} messages are done, sampling heap and RSS each second. */
    void awaitDone(long total) throws IOException, InterruptedException {
        long done = -1;
        long lastChange = System.nanoTime();
        while (true) {
            String metrics = metrics();
            long now = metrics.isEmpty() ? done : done(metrics);
            if (!metrics.isEmpty()) {
                int quarter = (int) Math.min(3, Math.max(0, now) * 4 / Math.max(1, total));
                heapByQuarter[quarter] = Math.max(heapByQuarter[quarter],
                        (long) ChildJvm.sample(metrics, "jvm_memory_used_bytes", "area=\"heap\"") >> 20);
                rssByQuarter[quarter] = Math.max(rssByQuarter[quarter], jvm.memoryMb("VmRSS"));
            }
            if (now >= total) {
                return;
            }
            if (now != done) {
                done = now;
                lastChange = System.nanoTime();
            } else if (!jvm.isAlive() || System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(120)) {
                throw new IOException("the pipeline " + (jvm.isAlive() ? "made no progress for 120 s" : "stopped")
                        + " at " + Math.max(0, done) + " of " + total + " messages; its output:\n" + jvm.outputTail());
            }
            Thread.sleep(1000);
        }
    }

    /** Prints the rate (first to last commit), memory, and the rows verified; returns whether they match. */
    boolean report(int messages) throws SQLException {
        long rows;
        long distinct;
        double seconds;
        long afterFirst;
        long lastQuarter;
        // written_at is the time each batch's transaction began (now()): a few milliseconds before its commit
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FILTER (WHERE written_at > t0), extract(epoch FROM max(written_at) - min(t0)), count(*),"
                        + " count(*) FILTER (WHERE written_at > t0 + (t1 - t0) * 0.75)"
                        + " FROM login_etl_messages, (SELECT min(written_at) AS t0, max(written_at) AS t1 FROM login_etl_messages) span"
                        + " GROUP BY t0, t1")) {
            rs.next();
            afterFirst = rs.getLong(1);
            seconds = Math.max(rs.getDouble(2), 0.001);
            distinct = rs.getLong(3);
            lastQuarter = rs.getLong(4);
            rows = BenchCommand.count(c, "user_logins");
        }
        // the first batch committed at t0: the rate counts what came after it, over the time after it
        rate = afterFirst / seconds;
        // the last quarter of the run is the warmest: the best estimate of the maximum rate, which the latency is paced at half of
        maxRate = Math.max(rate, lastQuarter / (seconds / 4));
        String metrics = metrics();
        double polls = ChildJvm.sample(metrics, "login_etl_sqs_polls_total", "");
        double received = ChildJvm.sample(metrics, "login_etl_messages_received_total", "");
        out.printf("pipeline        %,10.0f messages/s  (%,d messages, first to last commit %.1f s; last quarter of that time %,.0f/s;"
                + " %.1f messages per ReceiveMessage)%n", rate, messages, seconds, maxRate, received / Math.max(1, polls));
        out.printf("memory          heap peak %d MB, RSS peak %d MB; by quarter of the run: heap %s MB, RSS %s MB (sampled each second)%n",
                Arrays.stream(heapByQuarter).max().orElse(0), jvm.memoryMb("VmHWM"), join(heapByQuarter), join(rssByQuarter));
        boolean verified = rows == messages && distinct == messages;
        out.printf("rows verified   %,d = messages %,d: %s (distinct message ids %,d)%n", rows, messages, verified ? "yes" : "NO", distinct);
        return verified;
    }

    /** SQS calls an idle pipeline makes: its ReceiveMessage calls over {@code seconds} with the queue empty. */
    void idle(int seconds) throws IOException, InterruptedException {
        double before = ChildJvm.sample(metrics(), "login_etl_sqs_polls_total", "");
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        double after = ChildJvm.sample(metrics(), "login_etl_sqs_polls_total", "");
        idleCallsPerSecond = (after - before) / ((System.nanoTime() - start) / 1e9);
        out.printf("idle            %.1f SQS calls/s  (ReceiveMessage, long polling, over %d s with the queue empty)%n",
                idleCallsPerSecond, seconds);
    }

    /**
     * Half the measured rate, paced, for the latency seconds: the pipeline's own SentTimestamp-to-commit
     * histogram, counted from before the first of these messages to after the last.
     */
    void latency(SqsClient sqs, String queue, long doneBefore) throws Exception {
        double pace = Math.max(1, maxRate / 2);
        int count = (int) Math.max(10, Math.round(pace * options.latencySeconds() / 10) * 10);
        List<String> bodies = SampleLogins.generate(count, 7);
        TreeMap<Double, Double> before = latencyBuckets();
        // each call of 10 is due at its time on the schedule; several senders, so one slow call does not hold the pace
        ExecutorService senders = Executors.newFixedThreadPool(PACED_SENDERS);
        long start = System.nanoTime();
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int s = 0; s < PACED_SENDERS; s++) {
                int first = s * 10;
                sent.add(senders.submit(() -> {
                    for (int from = first; from < count; from += 10 * PACED_SENDERS) {
                        long wait = start + (long) (from / pace * 1e9) - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        SqsQueues.send(sqs, queue, bodies.subList(from, Math.min(count, from + 10)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            senders.shutdownNow();
        }
        double sentRate = count / ((System.nanoTime() - start) / 1e9);
        awaitDone(doneBefore + count);
        TreeMap<Double, Double> after = latencyBuckets();
        double p50 = ChildJvm.quantile(0.5, before, after);
        p99 = ChildJvm.quantile(0.99, before, after);
        out.printf("latency         p50 %.2f s, p99 %.2f s  (SentTimestamp to commit; %,d messages sent at %,.0f/s for a target of %,.0f/s,"
                + " half the last quarter's rate)%n", p50, p99, count, sentRate, pace);
    }

    /** The latency histogram now; a scrape that fails (or lacks it) is retried, then the bench fails rather than guess. */
    private TreeMap<Double, Double> latencyBuckets() throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 10; attempt++) {
            TreeMap<Double, Double> buckets = ChildJvm.buckets(metrics(), LATENCY);
            if (buckets.containsKey(Double.POSITIVE_INFINITY)) {
                return buckets;
            }
            Thread.sleep(500);
        }
        throw new IOException("could not read " + LATENCY + " from the pipeline's /observe/metrics");
    }

    /** SIGTERM, as a platform stops it; returns its exit code (0 when it drained and stopped cleanly). */
    int stop() throws IOException, InterruptedException {
        if (jvm == null) {
            return 0;
        }
        try {
            int exit = jvm.stop(Duration.ofSeconds(90));
            String summary = jvm.lastLineWith("summary:");
            out.printf("pipeline exit   %d; %s%n", exit, summary.substring(Math.max(0, summary.indexOf("summary:"))));
            if (exit != 0) {
                out.println(jvm.outputTail());
            }
            return exit;
        } finally {
            jvm.close();
        }
    }

    private static String join(long[] values) {
        return Arrays.stream(values).mapToObj(Long::toString).collect(Collectors.joining("/"));
    }
}
