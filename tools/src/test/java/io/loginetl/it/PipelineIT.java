package io.loginetl.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

import io.loginetl.LoginEtl;
import io.loginetl.mapping.AppVersion;
import io.loginetl.masking.PiiMasker;
import io.loginetl.routes.ErrorHandling;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** The real application (the same Camel Main the jar runs) against ElasticMQ and PostgreSQL in this JVM. */
class PipelineIT {

    private static final PiiMasker MASKER = Fixture.MASKER;

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
                assertEquals(bad.size(), Fixture.stats(pipeline).deadLetters());
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
            settings.setProperty("pii.masking.secret", "jQfwq9L7zcA0dFN8BEcZ/BNAFc0flArLvMSI/sd6x0g="); // another key
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                f.send(List.of(login.formatted(3)));
                await().atMost(60, SECONDS).until(() -> f.rows() == 3);
            }
            List<Map<String, String>> rows = f.allRows();
            assertEquals(MASKER.maskIp("199.172.111.135"), rows.get(0).get("masked_ip"));
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
                assertTrue(Fixture.stats(pipeline).duplicatesSkipped() > 0, "no redelivery happened: the test proved nothing");
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
            f.createUserLogins("varchar(32)");
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

    private static Map<String, String> row(String userId, String deviceType, String ip, String deviceId, String locale,
            String version, String date) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("user_id", userId);
        row.put("device_type", deviceType);
        row.put("masked_ip", MASKER.maskIp(ip));
        row.put("masked_device_id", MASKER.maskDeviceId(deviceId));
        row.put("locale", locale);
        row.put("app_version", version == null ? null : Integer.toString(AppVersion.encode(version)));
        row.put("create_date", date);
        return row;
    }
}
