package io.loginetl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.loginetl.mapping.HostileCorpus;
import io.loginetl.routes.ErrorHandling;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The jar as the Dockerfile runs it ({@code -Xmx256m -XX:+ExitOnOutOfMemoryError}) against a queue of hostile
 * messages: it drains the queue and exits 0, every valid login one row, every hostile message a row or a dead letter
 * with its reason. Before these limits, one of them (an exponent of a billion) made the JVM exit 3 on every start.
 */
class HostileInputIT {

    private static final List<String> SMALL_HEAP = List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError");

    @Test
    void aHostileCorpusAmongValidLoginsEndsAsRowsAndDeadLettersWithReasonsAndTheJarExitsZeroInA256MegabyteHeap() throws Exception {
        try (Fixture f = new Fixture()) {
            List<HostileCorpus.Kind> kinds = new ArrayList<>(HostileCorpus.kinds(f.name));
            // the largest body SQS takes (1 MiB): over message.max-bytes, and with the dead letter's attributes over
            // what the dead-letter queue takes, so it is cut to fit
            String head = "{\"user_id\":\"" + f.name + "-max\",\"pad\":\"";
            String largest = head + "p".repeat(1_048_576 - head.length() - 2) + "\"}";
            List<String> valid = Fixture.logins(f.name + "-ok", 500);
            List<String> bodies = new ArrayList<>(valid);
            for (int i = 0; i < kinds.size(); i++) {
                bodies.add(i * valid.size() / kinds.size(), kinds.get(i).body());
            }
            bodies.add(valid.size() / 2, largest);
            f.send(bodies.stream().filter(b -> b.length() < 200_000).toList());
            bodies.stream().filter(b -> b.length() >= 200_000).forEach(b -> f.sqs.sendMessage(m -> m.queueUrl(f.queueUrl).messageBody(b)));
            // a producer's message attributes named like SQS's own, or like the dead letter's: a valid login all the same
            String spoofed = "{\"user_id\":\"" + f.name + "-spoofed\"}";
            f.sqs.sendMessage(m -> m.queueUrl(f.queueUrl).messageBody(spoofed).messageAttributes(Map.of(
                    "SentTimestamp", text("not a time"), "ApproximateReceiveCount", text("99"),
                    ErrorHandling.ERROR_REASON, text("spoofed"), "CamelAwsSqsAttributes", text("spoofed"))));

            Map<String, String> env = f.environment();
            env.put("CAMEL_MAIN_DURATIONMAXIDLESECONDS", "5");
            JarProcess.Result run;
            try (JarProcess jar = JarProcess.start(env, Path.of("."), SMALL_HEAP)) {
                run = jar.await(300);
            }

            assertEquals(0, run.exit(), run.err() + run.out());
            assertEquals(0, f.onQueue(f.queueUrl), "messages left on the source queue");
            // a dead letter whose body and attributes are more than the dead-letter queue takes is cut to fit (ElasticMQ
            // reports no MaximumMessageSize, so the pipeline assumes the smallest an SQS queue had by default, 256 KiB)
            List<String> hostileBodies = new ArrayList<>(kinds.stream().map(HostileCorpus.Kind::body).toList());
            hostileBodies.add(largest);
            Map<String, String> reasonByBody = new HashMap<>();
            for (Message m : f.drainDeadLetters()) {
                String reason = m.messageAttributes().get(ErrorHandling.ERROR_REASON).stringValue();
                String original = hostileBodies.contains(m.body()) ? m.body()
                        : hostileBodies.stream().filter(b -> b.length() > 250_000 && b.startsWith(m.body())).findFirst().orElse(m.body());
                if (!original.equals(m.body())) {
                    String cut = "; the body is cut to its first " + m.body().length() + " of " + original.length()
                            + " bytes to fit the dead-letter queue";
                    assertTrue(reason.endsWith(cut), reason);
                    reason = reason.substring(0, reason.length() - cut.length());
                }
                reasonByBody.put(original, reason);
            }
            assertEquals("the body is larger than message.max-bytes (262144 bytes)", reasonByBody.get(largest));
            Set<String> userIds = f.allRows().stream().map(r -> r.get("user_id")).collect(Collectors.toCollection(TreeSet::new));
            Set<String> expectedIds = new TreeSet<>();
            for (String login : valid) {
                expectedIds.add(login.substring(12, login.indexOf('"', 12)));
            }
            expectedIds.add(f.name + "-spoofed");
            expectedIds.add(f.name + "-5");
            expectedIds.add(f.name + "-22");
            for (HostileCorpus.Kind kind : kinds) {
                assertEquals(kind.reason(), reasonByBody.get(kind.body()), kind.name());
            }
            assertEquals(kinds.stream().filter(k -> k.reason() != null).count() + 1, reasonByBody.size(), "dead letters");
            assertEquals(expectedIds, userIds);
            assertEquals(expectedIds.size(), f.rows(), "a message made two rows");
            assertFalse(run.out().contains("stays on the queue"), run.out());
            for (String raw : List.of("199.172.111.135", "10.0.0.1", "10.0.0.2")) {
                assertFalse(run.out().contains(raw) || run.err().contains(raw), "a raw value of the corpus was printed");
            }
        }
    }

    @Test
    void aQueueOfQuarterMegabyteLoginsIsWrittenInA256MegabyteHeapWhateverTheBatchSize() throws Exception {
        try (Fixture f = new Fixture()) {
            int count = 1_000; // 250 MB of bodies: one batch of them, were batches bounded by count alone
            String padding = "p".repeat(250_000);
            // four to a call: SQS takes up to 1 MiB in one SendMessageBatch
            for (int from = 0; from < count; from += 4) {
                List<String> four = new ArrayList<>();
                for (int i = from; i < from + 4; i++) {
                    four.add("{\"user_id\":\"big-%04d\",\"ip\":\"10.0.%d.%d\",\"padding\":\"%s\"}".formatted(i, i / 250, i % 250, padding));
                }
                f.send(four);
            }
            Map<String, String> env = f.environment();
            env.put("CAMEL_MAIN_DURATIONMAXIDLESECONDS", "5");
            List<String> options = new ArrayList<>(SMALL_HEAP);
            // the worst case for memory: batches sized for small messages, closed only when full (1,000 x 250 KB
            // would be 250 MB each, were batches bounded by count alone)
            options.add("-Dbatch.size=1000");
            options.add("-Dbatch.timeout=600000");
            JarProcess.Result run;
            try (JarProcess jar = JarProcess.start(env, Path.of("."), options)) {
                run = jar.await(600);
            }

            assertEquals(0, run.exit(), run.err() + run.out());
            assertEquals(count, f.rows());
            assertEquals(0, f.onQueue(f.queueUrl));
            assertTrue(f.drainDeadLetters().isEmpty());
        }
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
