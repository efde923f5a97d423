package io.loginetl.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.loginetl.LoginEtl;
import io.loginetl.db.Schema;
import io.loginetl.masking.PiiMasker;
import io.loginetl.vault.AuditTrail;
import io.loginetl.vault.VaultKeys;
import org.junit.jupiter.api.Test;

/** The vault end to end: the pipeline keeps the originals encrypted, the jar's recover/forget/rekey use them. */
class VaultIT {

    private static final String KEY_1 = "rYfzMeEHs9HmKINswBF0MdaP1xnQOH/fnsLEC0LiFAI=";
    private static final String KEY_2 = "SujglKb/ZEeemS5j1F3uxTQQN8118NZeFVgacFfE1aM=";
    private static final PiiMasker MASKER = Fixture.MASKER;

    @Test
    void holdersOfTheKeyRecoverExactlyTheOriginalsOthersNothingForgetErasesAndEveryCallIsAudited() throws Exception {
        List<String> ips = List.of("199.172.111.135", "203.0.113.9", "198.51.100.4");
        List<String> devices = List.of("593-47-5928", "111-22-3333");
        try (Fixture f = new Fixture()) {
            List<String> logins = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                logins.add("{\"user_id\":\"v-%d\",\"ip\":\"%s\",\"device_id\":\"%s\"}".formatted(i, ips.get(i % 3), devices.get(i % 2)));
            }
            Properties settings = f.settings();
            settings.setProperty("pii.vault.secret", KEY_1);
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                f.send(logins);
                await().atMost(60, SECONDS).until(() -> f.rows() == logins.size());
            }
            // one vault entry per distinct masked value, and no raw value outside the vault's ciphertext
            assertEquals(ips.size() + devices.size(), count(f, "SELECT count(*) FROM login_etl_vault"));
            Map<String, String> env = f.environment();
            env.put("PII_VAULT_KEY", KEY_1);
            String maskedIp = MASKER.maskIp(ips.get(0));
            String maskedDevice = MASKER.maskDeviceId(devices.get(0));

            JarProcess.Result recovered = JarProcess.run(env, Path.of("."), 60, "recover", maskedIp, maskedDevice, "--reason", "ticket 42");
            assertEquals(0, recovered.exit(), recovered.err());
            assertEquals(List.of(maskedIp + "\t" + ips.get(0), maskedDevice + "\t" + devices.get(0)), recovered.out().lines().toList());

            env.put("PII_VAULT_KEY", KEY_2);
            JarProcess.Result noReason = JarProcess.run(env, Path.of("."), 60, "recover", maskedIp);
            assertEquals(2, noReason.exit());
            assertEquals("", noReason.out());
            assertTrue(noReason.err().contains("needs --reason TEXT"), noReason.err());
            JarProcess.Result wrongKey = JarProcess.run(env, Path.of("."), 60, "recover", maskedIp, "--reason", "ticket 43");
            assertTrue(wrongKey.exit() != 0);
            assertEquals("", wrongKey.out());
            assertEquals(1, wrongKey.err().lines().count(), wrongKey.err());
            assertFalse(wrongKey.err().contains(ips.get(0)));

            env.put("PII_VAULT_KEY", KEY_1);
            JarProcess.Result forgot = JarProcess.run(env, Path.of("."), 60, "forget", maskedIp, "--reason", "erasure request");
            assertEquals(0, forgot.exit(), forgot.err());
            String neverStored = MASKER.maskIp("10.99.99.99");
            JarProcess.Result forgotNothing = JarProcess.run(env, Path.of("."), 60, "forget", neverStored, "--reason", "request 2");
            assertEquals(1, forgotNothing.exit(), forgotNothing.out());
            assertTrue(forgotNothing.err().contains("not in the vault") && forgotNothing.err().contains(neverStored), forgotNothing.err());
            // the same ip arrives again: its original must not come back into the vault
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                f.send(List.of("{\"user_id\":\"v-again\",\"ip\":\"" + ips.get(0) + "\"}"));
                await().atMost(60, SECONDS).until(() -> f.rows() == logins.size() + 1);
            }
            JarProcess.Result afterForget = JarProcess.run(env, Path.of("."), 60, "recover", maskedIp, "--reason", "ticket 44");
            assertEquals(1, afterForget.exit());
            assertEquals("", afterForget.out());
            assertEquals(1, count(f, "SELECT count(*) FROM user_logins WHERE masked_ip = '" + maskedIp + "'") > 0 ? 1 : 0,
                    "the masked value stays for duplicate analysis");

            try (Connection c = f.db(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT action, os_user, reason, masked_values, outcome, db_user, client_addr "
                         + "FROM login_etl_audit ORDER BY id")) {
                List<String> audit = new ArrayList<>();
                while (rs.next()) {
                    audit.add(rs.getString(1) + "|" + rs.getString(3) + "|" + Arrays.toString((Object[]) rs.getArray(4).getArray())
                            + "|" + rs.getString(5));
                    assertFalse(rs.getString(2) == null || rs.getString(2).isBlank(), "no OS user recorded");
                    assertEquals(f.servers.dbUser(), rs.getString(6), "the database role, as the server names it");
                    assertEquals("127.0.0.1", rs.getString(7), "the client's address, as the server sees it");
                }
                assertEquals(List.of(
                        "recover|ticket 42|[" + maskedIp + ", " + maskedDevice + "]|recovered 2 of 2",
                        "recover|ticket 43|[" + maskedIp + "]|recovered 0 of 1, 1 not opened by the key",
                        "forget|erasure request|[" + maskedIp + "]|erased 1 of 1",
                        "forget|request 2|[" + neverStored + "]|erased 0 of 1, 1 not in the vault",
                        "recover|ticket 44|[" + maskedIp + "]|recovered 0 of 1, 1 not in the vault"), audit);
            }
            // a client cannot say who it is: the server overwrites what an INSERT claims
            try (Connection c = f.db(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO login_etl_audit (action, db_user, client_addr, masked_values, outcome) "
                        + "VALUES ('forged', 'someone_else', '10.1.2.3', '{}', 'x')");
                try (ResultSet rs = s.executeQuery("SELECT db_user, host(client_addr) FROM login_etl_audit WHERE action = 'forged'")) {
                    assertTrue(rs.next());
                    assertEquals(f.servers.dbUser(), rs.getString(1));
                    assertEquals("127.0.0.1", rs.getString(2));
                }
            }
            assertNoRawValueOutsideTheVault(f, ips, devices);
        }
    }

    @Test
    void rekeyMovesEveryEntryToTheNewKeyAndOldKeysDecryptUntilThen() throws Exception {
        try (Fixture f = new Fixture()) {
            Properties settings = f.settings();
            settings.setProperty("pii.vault.secret", KEY_1);
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                f.send(List.of("{\"user_id\":\"r-1\",\"ip\":\"10.11.0.1\",\"device_id\":\"d-1\"}"));
                await().atMost(60, SECONDS).until(() -> f.rows() == 1);
            }
            Map<String, String> env = f.environment();
            String masked = MASKER.maskIp("10.11.0.1");
            env.put("PII_VAULT_KEY", KEY_2 + "," + KEY_1); // rotation: the new key first, the old one still decrypts
            assertEquals(masked + "\t10.11.0.1", JarProcess.run(env, Path.of("."), 60, "recover", masked, "--reason", "r").out().strip());

            // an entry as the release before padding sealed it (format 1), already under the new key
            String legacy = MASKER.maskIp("10.11.0.9");
            try (Connection c = f.db(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO login_etl_vault (masked, key_id, sealed) VALUES (?, ?, ?)")) {
                ps.setString(1, legacy);
                ps.setString(2, VaultKeys.parse(KEY_2).newestId());
                ps.setBytes(3, sealedUnpadded(KEY_2, legacy, "10.11.0.9"));
                ps.executeUpdate();
            }

            JarProcess.Result rekey = JarProcess.run(env, Path.of("."), 60, "rekey", "--reason", "rotation");
            assertEquals(0, rekey.exit(), rekey.err());
            assertEquals("re-encrypted 3 vault entries under key " + VaultKeys.parse(KEY_2).newestId(), rekey.out().strip());

            env.put("PII_VAULT_KEY", KEY_2); // the old key retired
            JarProcess.Result recovered = JarProcess.run(env, Path.of("."), 60, "recover", masked, legacy, "--reason", "r");
            assertEquals(0, recovered.exit(), recovered.err());
            assertEquals(List.of(masked + "\t10.11.0.1", legacy + "\t10.11.0.9"), recovered.out().lines().toList());
            try (Connection c = f.db(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT masked, key_id, sealed FROM login_etl_vault")) {
                while (rs.next()) { // every entry now padded: all originals here are 92 bytes sealed
                    assertTrue(VaultKeys.parse(KEY_2).unseal(rs.getString(1), rs.getString(2), rs.getBytes(3)).current());
                    assertEquals(92, rs.getBytes(3).length);
                }
            }
        }
    }

    @Test
    void aBatchStoringAValueWhileItIsForgottenWaitsForTheErasureAndTheTombstoneWins() throws Exception {
        try (Fixture f = new Fixture()) {
            Map<String, String> env = f.environment();
            Schema.migrate(f.jdbcUrl, f.servers.dbUser(), f.servers.dbPassword()); // as `migrate` does (MigrateIT runs the command)
            String masked = MASKER.maskIp("10.77.0.1");
            ExecutorService forgetting = Executors.newSingleThreadExecutor();
            try (Connection batch = f.db()) {
                // a batch in flight: its vault entry inserted as the pipeline does (same arbiter), not yet committed
                batch.setAutoCommit(false);
                try (PreparedStatement ps = batch.prepareStatement("INSERT INTO login_etl_vault (masked, key_id, sealed) "
                        + "VALUES (?, 'k1', '\\x0102') ON CONFLICT (masked) DO NOTHING")) {
                    ps.setString(1, masked);
                    assertEquals(1, ps.executeUpdate());
                }
                Future<JarProcess.Result> forget = forgetting.submit(
                        () -> JarProcess.run(env, Path.of("."), 120, "forget", masked, "--reason", "erasure request"));
                // forget must wait for the batch: its tombstone and the batch's entry are the same key
                await().atMost(60, SECONDS).until(() -> waitingOnALock(f));
                batch.commit();

                JarProcess.Result forgot = forget.get(120, SECONDS);
                assertEquals(0, forgot.exit(), forgot.err());
                assertTrue(forgot.out().startsWith("forgot 1 of 1"), forgot.out());
            } finally {
                forgetting.shutdownNow();
            }
            assertEquals(0, count(f, "SELECT count(*) FROM login_etl_vault WHERE sealed IS NOT NULL"), "the original came back");
            assertEquals(1, count(f, "SELECT count(*) FROM login_etl_vault WHERE masked = '" + masked + "' AND forgotten_at IS NOT NULL"));

            // a later batch with the same value: the tombstone holds the key
            try (Connection later = f.db(); PreparedStatement ps = later.prepareStatement("INSERT INTO login_etl_vault "
                    + "(masked, key_id, sealed) VALUES (?, 'k1', '\\x0304') ON CONFLICT (masked) DO NOTHING")) {
                ps.setString(1, masked);
                assertEquals(0, ps.executeUpdate());
            }
        }
    }

    @Test
    void theAuditIsAHashChainThatShowsARowChangedRemovedOrCutFromItsEnd() throws Exception {
        try (Fixture f = new Fixture()) {
            Map<String, String> env = f.environment();
            Schema.migrate(f.jdbcUrl, f.servers.dbUser(), f.servers.dbPassword()); // as `migrate` does (MigrateIT runs the command)
            // writers side by side: the trigger serialises them, so the chain never forks
            ExecutorService writers = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    int writer = w;
                    done.add(writers.submit(() -> {
                        try (Connection c = f.db()) {
                            for (int i = 0; i < 10; i++) {
                                AuditTrail.record(c, "recover", "ticket " + writer + "-" + i, List.of("m" + i, "n\u00e9"), "recovered 2 of 2");
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> d : done) {
                    d.get(60, SECONDS);
                }
            } finally {
                writers.shutdownNow();
            }
            JarProcess.Result verified = JarProcess.run(env, Path.of("."), 60, "verify-audit");
            assertEquals(0, verified.exit(), verified.err());
            assertTrue(verified.out().startsWith("verify-audit: 40 rows, chain intact; head "), verified.out());
            String head = verified.out().split("head ")[1].substring(0, 64);

            try (Connection c = f.db(); Statement s = c.createStatement()) {
                c.setAutoCommit(false); // each tampering rolled back before the next
                s.execute("UPDATE login_etl_audit SET reason = 'nothing to see' WHERE id = (SELECT min(id) + 4 FROM login_etl_audit)");
                assertBroken(c, null, 5, "fields do not match its hash");
                c.rollback();
                s.execute("DELETE FROM login_etl_audit WHERE id = (SELECT min(id) + 4 FROM login_etl_audit)");
                assertBroken(c, null, 5, "link does not match the row before it");
                c.rollback();
                s.execute("DELETE FROM login_etl_audit WHERE id = (SELECT max(id) FROM login_etl_audit)");
                assertTrue(AuditTrail.verify(c, null).intact(), "a cut end leaves a shorter chain");
                assertBroken(c, head, null, "head recorded earlier (" + head + ") is not in the chain");
                c.rollback();
                // the owner rewrites a row and re-chains everything after it: only the recorded head shows it
                s.execute("UPDATE login_etl_audit SET reason = 'rewritten' WHERE id = (SELECT min(id) FROM login_etl_audit)");
                s.execute("""
                        DO $$ DECLARE r login_etl_audit; previous bytea; BEGIN
                          FOR r IN SELECT * FROM login_etl_audit ORDER BY id LOOP
                            UPDATE login_etl_audit SET prev_hash = previous, hash = sha256(coalesce(previous, ''::bytea)
                              || convert_to(login_etl_audit_text(r), 'UTF8')) WHERE id = r.id RETURNING hash INTO previous;
                          END LOOP; END $$""");
                assertTrue(AuditTrail.verify(c, null).intact());
                assertBroken(c, head, null, "is not in the chain");
                c.commit();
            }
            JarProcess.Result tampered = JarProcess.run(env, Path.of("."), 60, "verify-audit", "--head", head);
            assertEquals(1, tampered.exit(), tampered.out());
            assertTrue(tampered.err().contains("the audit chain is broken"), tampered.err());
        }
    }

    @Test
    void theMigrationsSha256WhichPostgresql10LacksIsSha256() throws Exception {
        try (Fixture f = new Fixture()) {
            Schema.migrate(f.jdbcUrl, f.servers.dbUser(), f.servers.dbPassword());
            // inputs of 0 to 300 bytes (every padding case: up to 5 blocks), against the server's own sha256()
            String differing = """
                    SELECT count(*) FILTER (WHERE login_etl_sha256(d) IS DISTINCT FROM sha256(d)), count(*)
                    FROM generate_series(0, 300) AS n, LATERAL (SELECT substring(decode(string_agg(md5(n || '.' || j), ''), 'hex')
                                                                          FROM 1 FOR n) AS d FROM generate_series(1, 20) AS j) AS input""";
            try (Connection c = f.db(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(differing)) {
                assertTrue(rs.next());
                assertEquals(301, rs.getLong(2));
                assertEquals(0, rs.getLong(1), "inputs whose hash differs from sha256()");
            }
        }
    }

    /** IV || AES-GCM(original) with the masked value as associated data: format 1, before padding. */
    private static byte[] sealedUnpadded(String key, String masked, String original) throws Exception {
        byte[] iv = new byte[12];
        new java.security.SecureRandom().nextBytes(iv);
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(key), "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, iv));
        cipher.updateAAD(masked.getBytes(StandardCharsets.UTF_8));
        byte[] body = cipher.doFinal(original.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = new byte[12 + body.length];
        System.arraycopy(iv, 0, sealed, 0, 12);
        System.arraycopy(body, 0, sealed, 12, body.length);
        return sealed;
    }

    private static void assertBroken(Connection c, String head, Integer nth, String problem) throws Exception {
        AuditTrail.Verdict verdict = AuditTrail.verify(c, head);
        assertFalse(verdict.intact(), verdict.toString());
        assertTrue(verdict.problem().contains(problem), verdict.toString());
        if (nth != null) {
            assertEquals(nth.longValue(), verdict.rows(), "broken at the " + nth + "th row read: " + verdict);
        }
    }

    /** Whether a session of this test's database waits for a lock held by another. */
    private static boolean waitingOnALock(Fixture f) throws Exception {
        return count(f, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0;
    }

    /** Every table but the vault, dumped as text: no raw ip or device id anywhere. */
    private static void assertNoRawValueOutsideTheVault(Fixture f, List<String> ips, List<String> devices) throws Exception {
        for (String table : List.of("user_logins", "login_etl_messages", "login_etl_audit")) {
            try (Connection c = f.db(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT t::text FROM " + table + " t")) {
                while (rs.next()) {
                    for (String raw : concat(ips, devices)) {
                        assertFalse(rs.getString(1).contains(raw), "raw value in " + table);
                    }
                }
            }
        }
        try (Connection c = f.db(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT sealed FROM login_etl_vault WHERE sealed IS NOT NULL")) {
            while (rs.next()) {
                String bytes = new String(rs.getBytes(1), StandardCharsets.ISO_8859_1);
                for (String raw : concat(ips, devices)) {
                    assertFalse(bytes.contains(raw), "plaintext in the vault");
                }
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static long count(Fixture f, String sql) throws Exception {
        try (Connection c = f.db(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
