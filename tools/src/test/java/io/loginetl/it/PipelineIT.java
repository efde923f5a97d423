package io.loginetl.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import io.loginetl.ConfigurationException;
import io.loginetl.LoginEtl;
import io.loginetl.PipelineStats;
import io.loginetl.mapping.AppVersion;
import io.loginetl.masking.PiiMasker;
import io.loginetl.routes.ConsumptionGate;
import io.loginetl.routes.ErrorHandling;
import io.loginetl.sqs.SqsPollStrategy;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** The real application (the same Camel Main the jar runs) against ElasticMQ and PostgreSQL in this JVM. */
class PipelineIT {

    private static final PiiMasker MASKER = new PiiMasker(Fixture.MASKING_KEY.getBytes(StandardCharsets.UTF_8));

    @Test
    void writesEveryColumnOfEveryValidLogin() throws Exception {
        try (Fixture f = new Fixture()) {
            List<String> logins = List.of(
                    "{\"user_id\":\"u-01\",\"app_version\":\"2.3.0\",\"device_type\":\"android\",\"ip\":\"199.172.111.135\",\"locale\":\"RU\",\"device_id\":\"593-47-5928\"}",
                    "{\"user_id\":\"u-02\",\"app_version\":null,\"device_type\":\"ios\",\"ip\":\"10.0.0.1\",\"locale\":null,\"device_id\":\"111-22-3333\"}",
                    "{\"user_id\":\"u-03\",\"app_version\":\"0.96\",\"device_type\":\"android\",\"ip\":\"10.0.0.2\",\"device_id\":\"222-33-4444\"}",
                    "{\"user_id\":\"u-04\",\"app_version\":3.7,\"device_type\":\"ios\",\"ip\":\"10.0.0.3\",\"locale\":\"DE\",\"device_id\":\"333-44-5555\"}",
                    "{\"user_id\":\"u-05\",\"app_version\":\"1.0.12\",\"device_type\":\"android\",\"ip\":\"199.172.111.135\",\"locale\":\"BR\",\"device_id\":\"593-47-5928\",\"meta\":{\"sdk\":{\"name\":\"x\"}},\"tags\":[1,2]}",
                    "{\"user_id\":\"u-06\",\"device_type\":\"ios\",\"ip\":null,\"device_id\":null}",
                    // what an array literal would mangle (a batch is bound as one array per column): commas,
                    // quotes, backslashes, braces, the word NULL, edge spaces, non-ASCII
                    "{\"user_id\":\"u-07,\\\"x\\\"\\\\{y}\",\"device_type\":\"{a} \u00fc\",\"ip\":\"10.0.0.4\",\"locale\":\"NULL\",\"device_id\":\" 444 \"}");
            LocalDate before = LocalDate.now(ZoneOffset.UTC);
            try (LoginEtl.Running pipeline = LoginEtl.start(f.settings())) {
                f.send(logins);
                await().atMost(60, SECONDS).until(() -> f.rows() == logins.size() && f.onQueue(f.queueUrl) == 0);
            }
            LocalDate after = LocalDate.now(ZoneOffset.UTC);

            List<Map<String, String>> rows = f.allRows();
            String date = rows.get(0).get("create_date");
            assertTrue(date.equals(before.toString()) || date.equals(after.toString()), date);
            assertEquals(List.of(
                    row("u-01", "android", "199.172.111.135", "593-47-5928", "RU", "2.3.0", date),
                    row("u-02", "ios", "10.0.0.1", "111-22-3333", null, null, date),
                    row("u-03", "android", "10.0.0.2", "222-33-4444", null, "0.96", date),
                    row("u-04", "ios", "10.0.0.3", "333-44-5555", "DE", "3.7", date),
                    row("u-05", "android", "199.172.111.135", "593-47-5928", "BR", "1.0.12", date),
                    row("u-06", "ios", null, null, null, null, date),
                    row("u-07,\"x\"\\{y}", "{a} \u00fc", "10.0.0.4", " 444 ", "NULL", null, date)), rows);
            // the analyst's view: the same ip and device id give the same masked value
            assertEquals(rows.get(0).get("masked_ip"), rows.get(4).get("masked_ip"));
            assertEquals(rows.get(0).get("masked_device_id"), rows.get(4).get("masked_device_id"));
            assertTrue(f.drainDeadLetters().isEmpty());
        }
    }

    @Test
    void aPoisonCorpusGivesRowsPlusDeadLettersEqualToMessagesEachDeadLetterWithItsReasonAndOriginalBody() throws Exception {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("this is not json", "not JSON: syntax error at line 1, column 5");
        bad.put("{\"user_id\":\"u-x\",\"ip\":", "not JSON: truncated at line 1, column 23");
        bad.put("{\"foo\":\"oops\",\"bar\":\"123\"}", "not a login event: no user_id");
        bad.put("[1,2]", "not a login event: the JSON is not an object");
        bad.put("\"198.51.100.31\"", "not a login event: the JSON is not an object");
        bad.put("{\"user_id\":\"\",\"ip\":\"10.9.9.9\"}", "user_id is empty");
        bad.put("{\"user_id\":null,\"ip\":\"10.9.9.8\"}", "not a login event: no user_id");
        bad.put("{\"user_id\":\"u-y\",\"device_type\":\"" + "x".repeat(33) + "\"}",
                "device_type is longer than the 32 characters of user_logins.device_type");
        bad.put("{\"user_id\":\"" + "u".repeat(129) + "\"}", "user_id is longer than the 128 characters of user_logins.user_id");
        bad.put("{\"user_id\":\"u-z\",\"device_type\":7}", "device_type must be a string, not a number");
        bad.put("{\"user_id\":true}", "user_id must be a string, not a boolean");
        bad.put("{\"user_id\":\"u-o\",\"ip\":{\"v4\":\"10.9.9.7\"}}", "ip must be a single value, not a JSON object or array");
        bad.put("{\"user_id\":\"u-n\",\"device_id\":\"593\\u000047\"}",
                "device_id contains a NUL character, which PostgreSQL text cannot store");
        bad.put("{\"user_id\":\"u-v\",\"app_version\":\"2.3.0-beta\"}",
                "app_version is not a version of the form MAJOR[.MINOR[.PATCH]]");
        bad.put("{\"user_id\":\"u-w\",\"app_version\":\"1.1000\"}",
                "app_version minor and patch must be below 1000 to fit the integer column");
        bad.put("{\"user_id\":\"u-d\",\"deep\":" + "[".repeat(2000) + "]".repeat(2000) + "}",
                "not JSON: beyond the parser's limits (depth, length of a number, name or string, tokens)");
        bad.put("{\"user_id\":\"u-big\",\"locale\":\"" + "l".repeat(250_000) + "\"}",
                "locale is longer than the 32 characters of user_logins.locale");
        List<String> good = List.of(
                "{\"user_id\":\"good-1\",\"ip\":\"10.1.1.1\"}",
                "{\"user_id\":\"good-2\",\"ip\":\"10.1.1.2\",\"unknown\":{\"a\":[1,{\"b\":null}]},\"extra\":true}",
                "{\"user_id\":\"good-3\",\"nested\":" + "{\"n\":".repeat(200) + "1" + "}".repeat(200) + "}",
                "{\"user_id\":\"good-4\",\"padding\":\"" + "p".repeat(250_000) + "\"}");
        List<String> bodies = new ArrayList<>(bad.keySet());
        bodies.addAll(3, good.subList(0, 2));
        bodies.addAll(good.subList(2, 4));

        try (Fixture f = new Fixture()) {
            List<String> ids;
            try (LoginEtl.Running pipeline = LoginEtl.start(f.settings())) {
                ids = f.send(bodies);
                await().atMost(60, SECONDS).until(() -> f.rows() == good.size()
                        && f.onQueue(f.deadLetterQueueUrl) == bad.size() && f.onQueue(f.queueUrl) == 0);
                assertEquals(bad.size(), stats(pipeline).deadLetters());
            }
            Map<String, String> idByBody = new HashMap<>();
            for (int i = 0; i < bodies.size(); i++) {
                idByBody.put(bodies.get(i), ids.get(i));
            }
            List<Message> deadLetters = f.drainDeadLetters();
            assertEquals(bad.keySet(), deadLetters.stream().map(Message::body).collect(Collectors.toSet()));
            for (Message m : deadLetters) {
                String reason = m.messageAttributes().get(ErrorHandling.ERROR_REASON).stringValue();
                assertEquals(bad.get(m.body()), reason, m.body().substring(0, Math.min(60, m.body().length())));
                assertEquals(idByBody.get(m.body()), m.messageAttributes().get(ErrorHandling.SOURCE_MESSAGE_ID).stringValue());
                assertEquals(Set.of(ErrorHandling.ERROR_REASON, ErrorHandling.SOURCE_MESSAGE_ID), m.messageAttributes().keySet());
            }
            assertEquals(List.of("good-1", "good-2", "good-3", "good-4"), f.allRows().stream().map(r -> r.get("user_id")).toList());
        }
    }

    @Test
    void masksAreTheSameAcrossRunsAndChangeWithTheKey() throws Exception {
        try (Fixture f = new Fixture()) {
            String login = "{\"user_id\":\"u-%d\",\"ip\":\"199.172.111.135\",\"device_id\":\"593-47-5928\"}";
            Properties settings = f.settings();
            for (int run = 1; run <= 2; run++) {
                int expected = run;
                try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                    f.send(List.of(login.formatted(run)));
                    await().atMost(60, SECONDS).until(() -> f.rows() == expected);
                }
            }
            settings.setProperty("pii.masking.secret", "a-different-masking-key-0123456789abcdef");
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                f.send(List.of(login.formatted(3)));
                await().atMost(60, SECONDS).until(() -> f.rows() == 3);
            }
            List<Map<String, String>> rows = f.allRows();
            assertEquals(MASKER.mask("199.172.111.135"), rows.get(0).get("masked_ip"));
            assertEquals(rows.get(0).get("masked_ip"), rows.get(1).get("masked_ip"));
            assertEquals(rows.get(0).get("masked_device_id"), rows.get(1).get("masked_device_id"));
            assertNotEquals(rows.get(0).get("masked_ip"), rows.get(2).get("masked_ip"));
            assertNotEquals(rows.get(0).get("masked_device_id"), rows.get(2).get("masked_device_id"));
        }
    }

    @Test
    void aRedeliveredMessageNeverMakesASecondRowButTwoEqualMessagesStayTwoRows() throws Exception {
        try (Fixture f = new Fixture(2)) {
            Properties settings = f.settings();
            // batches are held 5 s, the visibility timeout is 2 s: SQS delivers every message again meanwhile
            settings.setProperty("sqs.visibility-timeout", "2");
            settings.setProperty("batch.size", "1000");
            settings.setProperty("batch.timeout", "5000");
            List<String> logins = new ArrayList<>(Fixture.logins("u", 20));
            logins.add("{\"user_id\":\"twice\",\"ip\":\"10.4.1.1\"}");
            logins.add("{\"user_id\":\"twice\",\"ip\":\"10.4.1.1\"}");
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                f.send(logins);
                await().atMost(90, SECONDS).until(() -> f.onQueue(f.queueUrl) == 0 && f.rows() == logins.size());
                assertTrue(stats(pipeline).duplicatesSkipped() > 0, "no redelivery happened: the test proved nothing");
            }
            List<String> users = f.allRows().stream().map(r -> r.get("user_id")).toList();
            assertEquals(logins.size(), users.size());
            assertEquals(2, users.stream().filter("twice"::equals).count());
            assertEquals(20, users.stream().filter(u -> u.startsWith("u-")).distinct().count());
        }
    }

    @Test
    void rowsTheDatabaseRefusesAreDeadLetteredWhileTheRestOfTheirBatchIsWritten() throws Exception {
        try (Fixture f = new Fixture()) {
            try (Connection c = f.db(); Statement s = c.createStatement()) {
                s.execute("""
                        CREATE TABLE user_logins(user_id varchar(128), device_type varchar(32) CHECK (device_type IN ('android', 'ios')),
                            masked_ip varchar(256), masked_device_id varchar(256), locale varchar(32) NOT NULL,
                            app_version integer, create_date date)""");
            }
            Map<String, String> refused = new LinkedHashMap<>();
            refused.put("{\"user_id\":\"no-locale-1\",\"device_type\":\"ios\",\"ip\":\"10.5.0.1\"}",
                    "rejected by the database: SQLState 23502 (not-null violation)");
            refused.put("{\"user_id\":\"no-locale-2\",\"device_type\":\"android\",\"locale\":null}",
                    "rejected by the database: SQLState 23502 (not-null violation)");
            refused.put("{\"user_id\":\"web\",\"device_type\":\"web\",\"locale\":\"US\"}",
                    "rejected by the database: SQLState 23514 (check constraint violation)");
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                bodies.add("{\"user_id\":\"good-%d\",\"device_type\":\"android\",\"locale\":\"RU\",\"ip\":\"10.5.1.%d\"}".formatted(i, i));
            }
            bodies.addAll(3, refused.keySet());
            try (LoginEtl.Running pipeline = LoginEtl.start(f.settings())) {
                f.send(bodies);
                await().atMost(60, SECONDS).until(() -> f.rows() == 10 && f.onQueue(f.deadLetterQueueUrl) == refused.size()
                        && f.onQueue(f.queueUrl) == 0);
            }
            List<Message> deadLetters = f.drainDeadLetters();
            assertEquals(refused.keySet(), deadLetters.stream().map(Message::body).collect(Collectors.toSet()));
            for (Message m : deadLetters) {
                assertEquals(refused.get(m.body()), m.messageAttributes().get(ErrorHandling.ERROR_REASON).stringValue());
            }
            assertEquals(10, f.allRows().stream().filter(r -> r.get("user_id").startsWith("good-")).count());
        }
    }

    @Test
    void anExistingTableWithVarcharAppVersionGetsTheVersionAsSent() throws Exception {
        try (Fixture f = new Fixture()) {
            try (Connection c = f.db(); Statement s = c.createStatement()) {
                s.execute("""
                        CREATE TABLE user_logins(user_id varchar(128), device_type varchar(32), masked_ip varchar(256),
                            masked_device_id varchar(256), locale varchar(32), app_version varchar(32), create_date date)""");
            }
            List<String> versions = List.of("\"2.3.0\"", "\"0.96\"", "\"3.7\"", "\"2.3.0-beta\"", "null");
            List<String> logins = new ArrayList<>();
            for (int i = 0; i < versions.size(); i++) {
                logins.add("{\"user_id\":\"u-%d\",\"app_version\":%s}".formatted(i, versions.get(i)));
            }
            try (LoginEtl.Running pipeline = LoginEtl.start(f.settings())) {
                f.send(logins);
                await().atMost(60, SECONDS).until(() -> f.rows() == logins.size());
            }
            assertEquals(java.util.Arrays.asList("2.3.0", "0.96", "3.7", "2.3.0-beta", null),
                    f.allRows().stream().map(r -> r.get("app_version")).toList());
        }
    }

    @Test
    void messagesStayOnTheQueueUntilTheirRowsAreCommittedAndADatabaseOutageIsNeverDeadLettered() throws Exception {
        try (Fixture f = new Fixture(15)) {
            Properties settings = f.settings();
            settings.setProperty("sqs.visibility-timeout", "15");
            settings.setProperty("db.retry.max-redeliveries", "1");
            settings.setProperty("db.retry.initial-delay", "100");
            settings.setProperty("db.connection-timeout", "1000");
            List<String> logins = new ArrayList<>(Fixture.logins("u", 30));
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                f.servers.stopPostgres();
                try {
                    f.send(logins);
                    // the batches were aggregated, their insert failed for good (retries exhausted) ...
                    await().atMost(60, SECONDS).until(() -> stats(pipeline).written() == 0
                            && stats(pipeline).deadLetters() == 0 && batchesHeldBack(pipeline) > 0);
                    // ... every message is still on the queue, and polling has stopped
                    assertEquals(logins.size(), f.onQueue(f.queueUrl));
                    assertTrue(gate(pipeline).isClosed());
                } finally {
                    f.servers.startPostgres();
                }
                // SQS delivers them again after the visibility timeout, and this time they are written
                await().atMost(90, SECONDS).until(() -> f.rows() == logins.size() && f.onQueue(f.queueUrl) == 0);
            }
            assertEquals(logins.size(), f.allRows().stream().map(r -> r.get("user_id")).distinct().count());
            assertTrue(f.drainDeadLetters().isEmpty(), "a database outage must never dead-letter");
        }
    }

    @Test
    void aDatabaseOutageMidRunPausesPollingAndEveryMessageIsWrittenExactlyOnceAfterwards() throws Exception {
        try (Fixture f = new Fixture(10)) {
            Properties settings = f.settings();
            settings.setProperty("sqs.visibility-timeout", "10");
            settings.setProperty("db.retry.max-redeliveries", "2");
            settings.setProperty("db.retry.initial-delay", "200");
            settings.setProperty("db.connection-timeout", "1000");
            List<String> logins = new ArrayList<>(Fixture.logins("u", 3000));
            f.send(logins);
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                await().atMost(60, SECONDS).until(() -> f.rows() >= 300);
                f.servers.stopPostgres();
                try {
                    await().atMost(60, SECONDS).until(() -> gate(pipeline).isClosed());
                    Thread.sleep(15_000); // the outage itself: fifteen seconds without a database
                    assertTrue(gate(pipeline).isClosed(), "polling resumed while the database was down");
                } finally {
                    f.servers.startPostgres();
                }
                await().atMost(120, SECONDS).until(() -> !gate(pipeline).isClosed());
                await().atMost(120, SECONDS).until(() -> f.rows() == logins.size() && f.onQueue(f.queueUrl) == 0);
            }
            assertEquals(logins.size(), distinctUsers(f));
            assertTrue(f.drainDeadLetters().isEmpty(), "a database outage must never dead-letter");
        }
    }

    @Test
    void whileSqsIsUnreachableThePipelineWaitsAndThenContinues() throws Exception {
        try (Fixture f = new Fixture(5); TcpProxy proxy = new TcpProxy(java.net.URI.create(f.servers.sqsEndpoint()).getPort())) {
            Properties settings = f.settings();
            settings.setProperty("sqs.endpoint", "http://127.0.0.1:" + proxy.port());
            // a receive cut mid-flight leaves its messages invisible until this runs out
            settings.setProperty("sqs.visibility-timeout", "5");
            List<String> first = Fixture.logins("a", 50);
            List<String> second = Fixture.logins("b", 50);
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                f.send(first);
                await().atMost(60, SECONDS).until(() -> f.rows() == first.size() && f.onQueue(f.queueUrl) == 0);
                proxy.cut();
                SqsPollStrategy polling = pipeline.context().getRegistry().lookupByNameAndType("sqsPollStrategy", SqsPollStrategy.class);
                await().atMost(60, SECONDS).until(polling::isFailing);
                f.send(second); // straight to the server: the pipeline cannot see them
                assertEquals(first.size(), f.rows());
                proxy.restore();
                await().atMost(90, SECONDS).until(() -> f.rows() == first.size() + second.size() && f.onQueue(f.queueUrl) == 0);
                assertTrue(!polling.isFailing());
            }
            assertEquals(first.size() + second.size(), distinctUsers(f));
            assertTrue(f.drainDeadLetters().isEmpty());
        }
    }

    @Test
    void refusesToStartWithoutAMaskingKeyOfAtLeast32Bytes() throws Exception {
        try (Fixture f = new Fixture()) {
            Properties settings = f.settings();
            settings.setProperty("pii.masking.secret", "");
            assertEquals("PII_MASKING_KEY", configurationError(settings).setting());
            settings.setProperty("pii.masking.secret", "x".repeat(31));
            ConfigurationException e = configurationError(settings);
            assertEquals("PII_MASKING_KEY has 31 bytes; it needs at least 32", e.getMessage());
        }
    }

    @Test
    void namesDbUrlWhenItIsMissingOrTheDatabaseCannotBeReached() throws Exception {
        try (Fixture f = new Fixture()) {
            Properties settings = f.settings();
            settings.setProperty("db.url", "");
            assertEquals("DB_URL", configurationError(settings).setting());
            settings.setProperty("db.url", "jdbc:postgresql://127.0.0.1:1/nowhere");
            settings.setProperty("db.connection-timeout", "1000");
            ConfigurationException e = configurationError(settings);
            assertEquals("DB_URL", e.setting());
            // the driver's cause, not the pool's "Connection is not available, request timed out after ..."
            assertTrue(e.getMessage().startsWith("DB_URL cannot be used: Connection to 127.0.0.1:1 refused"), e.getMessage());
            assertTrue(e.getMessage().endsWith("(ConnectException: Connection refused) (SQLState 08001)"), e.getMessage());
            // the server refuses the user (SQLState class 28): the credentials are the setting to fix, not the URL
            settings.setProperty("db.url", f.jdbcUrl);
            settings.setProperty("db.user", "no_such_role");
            ConfigurationException user = configurationError(settings);
            assertEquals("DB_USER", user.setting());
            assertTrue(user.getMessage().startsWith("DB_USER (with DB_PASSWORD) is refused by the database at DB_URL: "
                    + "FATAL: role \"no_such_role\" does not exist"), user.getMessage());
            settings.setProperty("db.user", f.servers.dbUser());
            // a password in the URL would be printed by Camel's startup summary: refused before anything is printed
            settings.setProperty("db.url", f.jdbcUrl + "?user=postgres&Password=hunter2-in-the-url");
            ConfigurationException inUrl = configurationError(settings);
            assertEquals("DB_URL", inUrl.setting());
            assertTrue(inUrl.getMessage().contains("carries a password"), inUrl.getMessage());
            assertFalse(inUrl.getMessage().contains("hunter2"), inUrl.getMessage());
        }
    }

    @Test
    void namesTheSqsSettingActuallyGivenAndTheRealCauseWhenAQueueCannotBeFound() throws Exception {
        try (Fixture f = new Fixture()) {
            Properties settings = f.settings();
            settings.setProperty("sqs.queue", "no-such-queue");
            ConfigurationException missing = configurationError(settings);
            assertEquals("SQS_QUEUE names queue 'no-such-queue', which does not exist at SQS_ENDPOINT "
                    + f.servers.sqsEndpoint(), missing.getMessage());

            settings.setProperty("sqs.endpoint", "http://127.0.0.1:1");
            ConfigurationException refused = configurationError(settings);
            assertEquals("SQS_ENDPOINT", refused.setting());
            assertTrue(refused.getMessage().startsWith("SQS_ENDPOINT is http://127.0.0.1:1, where SQS cannot be reached to "
                    + "look up SQS_QUEUE 'no-such-queue': ConnectException"), refused.getMessage());
            assertTrue(refused.getMessage().contains("Connection refused"), refused.getMessage());
        }
    }

    private static ConfigurationException configurationError(Properties settings) {
        Exception e = assertThrows(Exception.class, () -> LoginEtl.start(settings).close());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException c) {
                return c;
            }
        }
        throw new AssertionError("not a configuration error", e);
    }

    private static PipelineStats stats(LoginEtl.Running pipeline) {
        PipelineStats stats = pipeline.context().getRegistry().lookupByNameAndType("pipelineStats", PipelineStats.class);
        assertNotNull(stats);
        return stats;
    }

    private static ConsumptionGate gate(LoginEtl.Running pipeline) {
        return pipeline.context().getRegistry().lookupByNameAndType("consumptionGate", ConsumptionGate.class);
    }

    private static long distinctUsers(Fixture f) throws java.sql.SQLException {
        return f.allRows().stream().map(r -> r.get("user_id")).distinct().count();
    }

    private static long batchesHeldBack(LoginEtl.Running pipeline) {
        return stats(pipeline).batchesHeldBack();
    }

    private static Map<String, String> row(String userId, String deviceType, String ip, String deviceId, String locale,
            String version, String date) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("user_id", userId);
        row.put("device_type", deviceType);
        row.put("masked_ip", MASKER.mask(ip));
        row.put("masked_device_id", MASKER.mask(deviceId));
        row.put("locale", locale);
        row.put("app_version", version == null ? null : Integer.toString(AppVersion.encode(version)));
        row.put("create_date", date);
        return row;
    }
}
