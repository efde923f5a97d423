package io.loginetl.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.loginetl.bench.DelayProxy;
import org.junit.jupiter.api.Test;

/**
 * Scale-out is competing consumers: several jars on one queue, no coordination but SQS's visibility timeout and the
 * message-id ledger. Every message must become exactly one row whatever instance took it.
 * <p>
 * {@code -Dscaleout.instances=1,1,2,3 -Dscaleout.messages=60000} measures the rate for each count in turn (the figures
 * in BENCHMARKS.md, "Instances"); with {@code -Dscaleout.sqs-delay=MS} the instances reach SQS through a proxy that
 * delays each direction by MS milliseconds, a region's round trip. CI runs 3 instances on 3,000 messages and checks
 * only correctness.
 */
class ScaleOutIT {

    private static final Pattern SUMMARY = Pattern.compile("summary: \\d+ messages received, (\\d+) rows written");

    @Test
    void threeInstancesOnOneQueueWriteEveryMessageExactlyOnce() throws Exception {
        int messages = Integer.getInteger("scaleout.messages", 3_000);
        for (String count : System.getProperty("scaleout.instances", "3").split(",")) {
            drain(Integer.parseInt(count.trim()), messages);
        }
    }

    private static void drain(int instances, int messages) throws Exception {
        try (Fixture f = new Fixture(30)) {
            List<String> ids = f.send(Fixture.logins("scale" + instances, messages));
            Map<String, String> env = new java.util.LinkedHashMap<>(f.environment());
            env.put("CAMEL_MAIN_DURATIONMAXIDLESECONDS", "5");
            int delay = Integer.getInteger("scaleout.sqs-delay", 0);
            URI sqs = URI.create(env.get("SQS_ENDPOINT"));
            DelayProxy proxy = delay > 0 ? new DelayProxy(sqs.getHost(), sqs.getPort(), delay) : null;
            if (proxy != null) {
                env.put("SQS_ENDPOINT", "http://" + sqs.getHost() + ":" + proxy.port());
            }
            List<JarProcess> jars = new ArrayList<>();
            try {
                for (int i = 0; i < instances; i++) {
                    jars.add(JarProcess.start(env, Path.of("."), List.of("-Xmx256m"))); // each on its own /observe port
                }
                await().atMost(300, SECONDS).until(() -> f.rows() == messages);
                // every instance says in its summary how many rows it wrote
                List<Long> shares = new ArrayList<>();
                for (JarProcess jar : jars) {
                    JarProcess.Result result = jar.await(120);
                    assertEquals(0, result.exit(), result.err());
                    Matcher summary = SUMMARY.matcher(result.out());
                    assertTrue(summary.find(), result.out());
                    shares.add(Long.parseLong(summary.group(1)));
                }
                assertEquals(messages, f.rows());
                try (Connection c = f.db(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT (SELECT count(DISTINCT user_id) FROM user_logins),"
                             + " (SELECT count(*) FROM login_etl_messages),"
                             + " (SELECT extract(epoch FROM max(written_at) - min(written_at)) FROM login_etl_messages)")) {
                    rs.next();
                    assertEquals(messages, rs.getLong(1), "distinct user ids");
                    assertEquals(messages, rs.getLong(2), "message ids written");
                    double seconds = rs.getDouble(3);
                    System.out.printf("scale-out: %d instance(s), %d messages, SQS delay %d ms each way, first to last commit %.1f s,"
                            + " %.0f messages/s, rows per instance %s%n", instances, messages, delay, seconds,
                            messages / Math.max(seconds, 0.001), shares);
                }
                assertEquals(messages, ids.size());
                assertEquals(0, f.onQueue(f.queueUrl));
                assertTrue(f.drainDeadLetters().isEmpty());
                assertEquals(messages, shares.stream().mapToLong(Long::longValue).sum(),
                        "the instances' own counts add up to the messages: " + shares);
                if (instances > 1 && messages >= 1_000) {
                    assertTrue(shares.stream().filter(s -> s > 0).count() > 1, "only one instance did any work: " + shares);
                }
            } finally {
                for (JarProcess jar : jars) {
                    jar.close();
                }
                if (proxy != null) {
                    proxy.close();
                }
            }
        }
    }
}
