package io.loginetl.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The jar killed with SIGKILL at random moments of a long run, restarted each time: at-least-once delivery from
 * SQS plus the idempotent write must still give every valid message exactly one row.
 */
class CrashRecoveryIT {

    private static final int MESSAGES = 10_000;
    private static final int CRASHES = 3;
    /** Short, so messages held by a killed process come back quickly. */
    private static final List<String> JVM = List.of("-Dsqs.visibility-timeout=5");

    @Test
    void killedThreeTimesMidRunEveryValidMessageIsExactlyOneRowAndEveryBadOneADeadLetter() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String> bodies = new ArrayList<>();
        Set<String> poison = new HashSet<>();
        for (int i = 0; i < MESSAGES; i++) {
            String ip = "10.8." + random.nextInt(4) + "." + random.nextInt(50);
            if (i % 33 == 0) { // 3 % poison, every kind the mapper refuses, each body unique
                String bad = switch (i / 33 % 5) {
                    case 0 -> "not json " + i;
                    case 1 -> "{\"foo\":\"oops\",\"n\":" + i + "}";
                    case 2 -> "{\"user_id\":\"p-" + i + "\",\"app_version\":\"beta-" + i + "\"}";
                    case 3 -> "{\"user_id\":\"p-" + i + "\",\"ip\":{\"v4\":\"" + ip + "\"}}";
                    default -> "{\"user_id\":\"p-" + i + "\",\"device_type\":\"" + "x".repeat(40) + "\"}";
                };
                poison.add(bad);
                bodies.add(bad);
            } else {
                bodies.add("{\"user_id\":\"c-%05d\",\"ip\":\"%s\",\"device_id\":\"d-%d\",\"app_version\":\"2.%d.0\"}"
                        .formatted(i, ip, random.nextInt(100), random.nextInt(20)));
            }
        }
        int valid = MESSAGES - poison.size();

        try (Fixture f = new Fixture(5)) {
            f.send(bodies);
            Map<String, String> env = f.environment();
            List<Long> rowsAtKill = new ArrayList<>();
            for (int crash = 1; crash <= CRASHES; crash++) {
                long before = Math.max(0, f.rows());
                try (JarProcess p = JarProcess.start(env, Path.of("."), JVM)) {
                    // let it get going, then kill it at a random moment
                    await().atMost(120, SECONDS).until(() -> f.rows() > before);
                    Thread.sleep(random.nextInt(2_000));
                    p.kill();
                }
                rowsAtKill.add(f.rows());
            }
            long afterCrashes = f.rows();
            // restart until drained: the idle exit comes once nothing is left (messages held by the killed
            // processes become visible again within the 5 s visibility timeout)
            env.put("CAMEL_MAIN_DURATIONMAXIDLESECONDS", "10");
            for (int run = 0; run < 3 && (f.onQueue(f.queueUrl) > 0 || run == 0); run++) {
                try (JarProcess p = JarProcess.start(env, Path.of("."), JVM)) {
                    JarProcess.Result result = p.await(300);
                    assertEquals(0, result.exit(), result.err());
                }
            }

            String context = "seed " + seed + ", rows after the crashes " + afterCrashes;
            assertTrue(afterCrashes < valid, "the crashes came too late to test anything: " + context);
            assertEquals(0, f.onQueue(f.queueUrl), context);
            assertEquals(valid, f.rows(), context);
            try (var c = f.db(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(DISTINCT user_id) FROM user_logins")) {
                rs.next();
                assertEquals(valid, rs.getLong(1), "a message was written twice: " + context);
            }
            List<Message> deadLetters = f.drainDeadLetters();
            Set<String> deadBodies = deadLetters.stream().map(Message::body).collect(Collectors.toSet());
            assertEquals(poison, deadBodies, context);
            assertTrue(deadLetters.size() >= poison.size(), context);
            System.out.printf("crash test: seed %d, %d messages (%d poison), rows after each SIGKILL %s, "
                    + "final rows %d (distinct %d), dead letters %d for %d poison bodies%n", seed, MESSAGES, poison.size(),
                    rowsAtKill, f.rows(), valid, deadLetters.size(), poison.size());
        }
    }
}
