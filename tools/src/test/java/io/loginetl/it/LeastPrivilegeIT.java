package io.loginetl.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.loginetl.LoginEtl;
import io.loginetl.masking.PiiMasker;
import org.junit.jupiter.api.Test;

/**
 * {@code src/main/resources/db/least-privilege.sql} as a user runs it: three real roles on a real PostgreSQL (the
 * owner migrates and runs the script with psql; the pipeline and the officer work under their own roles), each
 * allowed exactly its work and refused the rest; and an erasure that leaves no ciphertext in the vault's files.
 */
class LeastPrivilegeIT {

    private static final Path SCRIPT = Path.of("src/main/resources/db/least-privilege.sql");
    private static final PiiMasker MASKER = Fixture.MASKER;

    @Test
    void theOwnersScriptLetsThePipelineWriteAndTheOfficerRecoverAndForgetAndRefusesThemEverythingElse() throws Exception {
        assumeTrue(psqlAvailable(), "psql is not on the PATH (Debian: apt-get install postgresql-client); .ci/run installs it");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String vaultKey = Base64.getEncoder().encodeToString(key);
        try (Fixture f = new Fixture()) {
            String owner = f.name + "_owner";
            String pipeline = f.name + "_pipeline";
            String officer = f.name + "_officer";
            try (Connection c = f.db(); Statement s = c.createStatement()) {
                for (String role : List.of(owner, pipeline, officer)) {
                    s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + role + "'");
                }
                // the owner owns the database, so its public schema (PostgreSQL 15+): it may create tables there
                s.execute("ALTER DATABASE " + f.name + " OWNER TO " + owner);
            }

            JarProcess.Result migrated = JarProcess.run(as(f.environment(), owner), Path.of("."), 120, "migrate");
            assertEquals(0, migrated.exit(), migrated.err());
            String psqlOutput = runScript(f, owner, pipeline, officer, 0);
            assertTrue(psqlOutput.contains("least-privilege.sql: granted " + pipeline), psqlOutput);
            assertEquals(List.of(), ownedBy(f, pipeline, officer), "no table may be owned by the pipeline or the officer");
            List<String> granted = grants(f, pipeline, officer);
            runScript(f, owner, pipeline, officer, 0);
            assertEquals(granted, grants(f, pipeline, officer), "a second run gives the same grants");

            // the pipeline under its role, not allowed to migrate
            Properties settings = f.settings();
            settings.setProperty("db.user", pipeline);
            settings.setProperty("db.password", pipeline);
            settings.setProperty("db.migrate", "false");
            settings.setProperty("pii.vault.secret", vaultKey);
            List<String> ips = List.of("203.0.113.7", "198.51.100.23");
            List<String> logins = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                logins.add("{\"user_id\":\"lp-%d\",\"ip\":\"%s\",\"device_id\":\"dev-%d\"}".formatted(i, ips.get(i % 2), i % 3));
            }
            try (LoginEtl.Running running = LoginEtl.start(settings)) {
                f.send(logins);
                await().atMost(60, SECONDS).until(() -> f.rows() == logins.size());
                assertEquals(0, Fixture.stats(running).batchesHeldBack(), "no batch refused");
                assertEquals(0, Fixture.stats(running).deadLetters());
            }
            assertEquals(2 + 3, count(f, "SELECT count(*) FROM login_etl_vault WHERE sealed IS NOT NULL"));

            try (Connection c = connect(f, pipeline)) {
                assertDenied(c, "SELECT sealed FROM login_etl_vault");
                assertDenied(c, "UPDATE login_etl_vault SET forgotten_at = now()");
                assertDenied(c, "DELETE FROM login_etl_vault");
                assertDenied(c, "SELECT * FROM login_etl_audit");
                assertDenied(c, "INSERT INTO login_etl_audit (action, masked_values, outcome) VALUES ('x', '{}', 'x')");
                assertDenied(c, "DELETE FROM login_etl_audit");
                assertDenied(c, "SELECT * FROM user_logins");
                assertDenied(c, "CREATE TABLE login_etl_mine (x int)");
                assertDenied(c, "GRANT SELECT ON login_etl_vault TO " + pipeline);
            }

            // the officer: recover and forget through the jar, under its role
            Map<String, String> officerEnv = as(f.environment(), officer);
            officerEnv.put("PII_VAULT_KEY", vaultKey);
            String maskedIp = MASKER.maskIp(ips.get(0));
            JarProcess.Result recovered = JarProcess.run(officerEnv, Path.of("."), 60, "recover", maskedIp, "--reason", "ticket 17");
            assertEquals(0, recovered.exit(), recovered.err());
            assertEquals(maskedIp + "\t" + ips.get(0), recovered.out().strip());

            byte[] sealed = sealed(f, maskedIp);
            checkpoint(f);
            assertTrue(inVaultFiles(f, sealed), "the entry's ciphertext is in the vault's files before forget");
            JarProcess.Result forgot = JarProcess.run(officerEnv, Path.of("."), 60, "forget", maskedIp, "--reason", "erasure 17");
            assertEquals(0, forgot.exit(), forgot.err());
            checkpoint(f);
            assertFalse(inVaultFiles(f, sealed), "the forgotten ciphertext is still in the vault's files (a dead row version)");
            JarProcess.Result afterForget = JarProcess.run(officerEnv, Path.of("."), 60, "recover", maskedIp, "--reason", "ticket 18");
            assertEquals(1, afterForget.exit(), afterForget.out());

            try (Connection c = connect(f, officer)) {
                assertDenied(c, "UPDATE login_etl_audit SET reason = 'x'");
                assertDenied(c, "DELETE FROM login_etl_audit");
                assertDenied(c, "TRUNCATE login_etl_audit");
                assertDenied(c, "SELECT * FROM user_logins");
                assertDenied(c, "INSERT INTO user_logins (user_id) VALUES ('x')");
                assertDenied(c, "DELETE FROM login_etl_vault");
            }
            JarProcess.Result verified = JarProcess.run(as(f.environment(), officer), Path.of("."), 60, "verify-audit");
            assertEquals(0, verified.exit(), verified.err());
            assertTrue(verified.out().startsWith("verify-audit: 3 rows, chain intact"), verified.out());
            assertEquals(List.of(officer + "|recover|ticket 17|recovered 1 of 1", officer + "|forget|erasure 17|erased 1 of 1",
                    officer + "|recover|ticket 18|recovered 0 of 1, 1 not in the vault"), audit(f));

            // a role that owns a table could grant itself anything back: the script refuses to run
            try (Connection c = f.db(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE login_etl_messages OWNER TO " + pipeline);
            }
            String refused = runScript(f, owner, pipeline, officer, 3);
            assertTrue(refused.contains("table login_etl_messages is owned by " + pipeline), refused);
        }
    }

    /** Runs the script as the owner with psql, as the docs say; returns what psql printed, checking its exit code. */
    private static String runScript(Fixture f, String owner, String pipeline, String officer, int exit) throws Exception {
        Process psql = new ProcessBuilder("psql", "-X", "-v", "pipeline_role=" + pipeline, "-v", "officer_role=" + officer,
                "-f", SCRIPT.toString(), f.jdbcUrl.replace("jdbc:postgresql://", "postgresql://" + owner + ":" + owner + "@"))
                .redirectErrorStream(true).start();
        String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(psql.waitFor(60, TimeUnit.SECONDS));
        assertEquals(exit, psql.exitValue(), output);
        return output;
    }

    /** Every table and column privilege the roles hold, as grantee|table|column|privilege. */
    private static List<String> grants(Fixture f, String... roles) throws SQLException {
        List<String> grants = new ArrayList<>();
        try (Connection c = f.db(); PreparedStatement ps = c.prepareStatement("""
                SELECT grantee || '|' || table_name || '|' || column_name || '|' || privilege_type
                  FROM information_schema.column_privileges WHERE grantee = ANY (?)
                UNION ALL
                SELECT grantee || '|' || table_name || '||' || privilege_type
                  FROM information_schema.table_privileges WHERE grantee = ANY (?)
                ORDER BY 1""")) {
            ps.setArray(1, c.createArrayOf("text", roles));
            ps.setArray(2, c.createArrayOf("text", roles));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    grants.add(rs.getString(1));
                }
            }
        }
        assertTrue(grants.size() > 10, grants.toString());
        return grants;
    }

    private static Map<String, String> as(Map<String, String> env, String role) {
        env.put("DB_USER", role);
        env.put("DB_PASSWORD", role);
        return env;
    }

    private static Connection connect(Fixture f, String role) throws SQLException {
        return DriverManager.getConnection(f.jdbcUrl, role, role);
    }

    private static void assertDenied(Connection c, String sql) {
        SQLException e = assertThrows(SQLException.class, () -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }, sql);
        assertEquals("42501", e.getSQLState(), sql + ": " + e.getMessage());
    }

    private static List<String> ownedBy(Fixture f, String... roles) throws SQLException {
        List<String> owned = new ArrayList<>();
        try (Connection c = f.db(); PreparedStatement ps = c.prepareStatement(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tableowner = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", roles));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owned.add(rs.getString(1));
                }
            }
        }
        return owned;
    }

    private static List<String> audit(Fixture f) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = f.db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT db_user, action, reason, outcome FROM login_etl_audit ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
            }
        }
        return rows;
    }

    private static byte[] sealed(Fixture f, String masked) throws SQLException {
        try (Connection c = f.db(); PreparedStatement ps = c.prepareStatement("SELECT sealed FROM login_etl_vault WHERE masked = ?")) {
            ps.setString(1, masked);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getBytes(1);
            }
        }
    }

    /** Every page written to the files (a superuser's CHECKPOINT). */
    private static void checkpoint(Fixture f) throws SQLException {
        try (Connection c = f.db(); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }

    /** Whether {@code bytes} occur in any file of the vault table's main fork (all its 1 GB segments). */
    private static boolean inVaultFiles(Fixture f, byte[] bytes) throws Exception {
        Path base;
        try (Connection c = f.db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('data_directory'), pg_relation_filepath('login_etl_vault')")) {
            assertTrue(rs.next());
            base = Path.of(rs.getString(1)).resolve(rs.getString(2));
        }
        for (int segment = 0; ; segment++) {
            File file = new File(base + (segment == 0 ? "" : "." + segment));
            if (!file.exists()) {
                return false;
            }
            if (indexOf(Files.readAllBytes(file.toPath()), bytes) >= 0) {
                return true;
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static long count(Fixture f, String sql) throws SQLException {
        try (Connection c = f.db(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean psqlAvailable() {
        try {
            Process p = new ProcessBuilder("psql", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
