package io.loginetl.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.loginetl.LoginEtl;
import io.loginetl.db.Schema;
import io.loginetl.vault.AuditTrail;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The schema is versioned migrations, applied by {@code migrate} with the owner's credentials; a pipeline not
 * allowed to migrate ({@code db.migrate=false}) and the operator's commands run no DDL and say what to run instead.
 */
class MigrateIT {

    private static final String TOLD = "run `java -jar login-etl.jar migrate` as the database owner";

    @Test
    void migrateCreatesTheSchemaOnceAndWhatMayNotMigrateRunsNoDdlButSaysToRunIt() throws Exception {
        try (Fixture f = new Fixture()) {
            Map<String, String> env = f.environment();

            Properties settings = f.settings();
            settings.setProperty("db.migrate", "false");
            assertEquals("db.migrate is false and the database at DB_URL is not at login-etl's schema version 3: " + TOLD,
                    Fixture.startRefusal(settings).getMessage());
            JarProcess.Result recover = JarProcess.run(env, Path.of("."), 60, "recover", "a".repeat(64), "--reason", "ticket 7");
            assertEquals(2, recover.exit(), recover.out());
            assertTrue(recover.err().strip().endsWith(TOLD), recover.err());
            assertEquals(List.of(), tables(f), "nothing was created by a start or a command that may not migrate");

            JarProcess.Result first = JarProcess.run(env, Path.of("."), 120, "migrate");
            assertEquals(0, first.exit(), first.err());
            assertEquals("migrate: the database at DB_URL is now at login-etl's schema version 3 (applied 1, 2, 3)", first.out().strip());
            assertEquals(List.of("login_etl_audit", "login_etl_messages", "login_etl_schema_history",
                    "login_etl_vault", "user_logins"), tables(f));
            JarProcess.Result again = JarProcess.run(env, Path.of("."), 120, "migrate");
            assertEquals(0, again.exit(), again.err());
            assertEquals("migrate: the database at DB_URL is already at login-etl's schema version 3", again.out().strip());

            // migrated by the owner, the pipeline runs without migrating
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                f.send(Fixture.logins("migrated", 5));
                await().atMost(60, SECONDS).until(() -> f.rows() == 5);
            }
            assertEquals(5, f.rows());
        }
    }

    @Test
    void anExistingUserLoginsWithAVarcharVersionIsKeptAsItIsAndItsRowsStay() throws Exception {
        try (Fixture f = new Fixture()) {
            f.createUserLogins("varchar(32)");
            try (Connection c = f.db(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO user_logins(user_id, app_version) VALUES ('before', '1.2.3')");
            }

            JarProcess.Result migrated = JarProcess.run(f.environment(), Path.of("."), 120, "migrate");

            assertEquals(0, migrated.exit(), migrated.err());
            try (Connection c = f.db(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT data_type FROM information_schema.columns "
                         + "WHERE table_name = 'user_logins' AND column_name = 'app_version'")) {
                assertTrue(rs.next());
                assertEquals("character varying", rs.getString(1));
            }
            assertEquals(1, f.rows());
            assertTrue(tables(f).contains("login_etl_vault"), tables(f).toString());
        }
    }

    @Test
    void instancesStartingTogetherOnADatabaseWithUserLoginsMigrateItOnceAndAllStart() throws Exception {
        try (Fixture f = new Fixture()) {
            // the users' table exists and nothing else: every instance would decide to baseline
            f.createUserLogins("integer");
            ExecutorService starts = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<String>>> migrations = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    migrations.add(starts.submit(() -> Schema.migrate(f.jdbcUrl, f.servers.dbUser(), f.servers.dbPassword())));
                }
                List<String> applied = new ArrayList<>();
                for (Future<List<String>> m : migrations) {
                    applied.addAll(m.get(120, SECONDS)); // throws if any failed
                }
                assertEquals(List.of("1", "2", "3"), applied, "each version applied once, by one of them");
            } finally {
                starts.shutdownNow();
            }
            try (Connection c = f.db(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM login_etl_schema_history WHERE success AND version IN ('1', '2', '3')")) {
                assertTrue(rs.next());
                assertEquals(3, rs.getInt(1));
            }
        }
    }

    @Test
    void version3TurnsTheOldTombstonesIntoVaultRowsWithoutTheirOriginalAndChainsTheAuditWrittenBefore() throws Exception {
        try (Fixture f = new Fixture()) {
            // a database at version 2, as the previous release left it: an entry that a batch put back beside its
            // tombstone (the race version 3 closes), a plain tombstone, a live entry and two audit rows
            Flyway.configure().dataSource(f.jdbcUrl, f.servers.dbUser(), f.servers.dbPassword())
                    .locations("classpath:db/migration").table(Schema.HISTORY).target("2").load().migrate();
            try (Connection c = f.db(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO login_etl_vault (masked, key_id, sealed) VALUES "
                        + "('raced', 'k1', '\\x0102'), ('live', 'k1', '\\x0304')");
                s.execute("INSERT INTO login_etl_forgotten (masked) VALUES ('raced'), ('forgotten')");
                s.execute("INSERT INTO login_etl_audit (action, reason, masked_values, outcome) VALUES "
                        + "('forget', 'old request', '{raced}', 'erased 1 of 1'), ('recover', 'ticket', '{live}', 'recovered 1 of 1')");
            }

            JarProcess.Result migrated = JarProcess.run(f.environment(), Path.of("."), 120, "migrate");
            assertEquals(0, migrated.exit(), migrated.err());

            List<String> vault = new ArrayList<>();
            try (Connection c = f.db(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT masked, sealed IS NULL, key_id IS NULL, forgotten_at IS NOT NULL FROM login_etl_vault ORDER BY masked")) {
                while (rs.next()) {
                    vault.add(rs.getString(1) + " " + rs.getBoolean(2) + rs.getBoolean(3) + rs.getBoolean(4));
                }
                assertEquals(List.of("forgotten truetruetrue", "live falsefalsefalse", "raced truetruetrue"), vault);
                AuditTrail.Verdict verdict = AuditTrail.verify(c, null);
                assertTrue(verdict.intact(), verdict.toString());
                assertEquals(2, verdict.rows());
            }
            assertEquals(List.of("login_etl_audit", "login_etl_messages", "login_etl_schema_history", "login_etl_vault",
                    "user_logins"), tables(f));
        }
    }

    private static List<String> tables(Fixture f) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = f.db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables "
                     + "WHERE table_schema = current_schema() ORDER BY table_name")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }
}
