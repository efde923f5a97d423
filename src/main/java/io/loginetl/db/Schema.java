package io.loginetl.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * login-etl's schema as versioned migrations ({@code db/migration/V*.sql}, Flyway), recorded in
 * {@value #HISTORY}. A database that already has {@code user_logins} (or an older login-etl's tables) but no
 * history is taken as version 0, so version 1 runs and keeps what exists ({@code CREATE TABLE IF NOT EXISTS}).
 */
public final class Schema {

    public static final String HISTORY = "login_etl_schema_history";

    private Schema() {
    }

    private static FluentConfiguration configure() {
        return Flyway.configure(Schema.class.getClassLoader())
                .locations("classpath:db/migration")
                .table(HISTORY)
                .baselineOnMigrate(true)
                .baselineVersion("0");
    }

    /**
     * Flyway on connections of its own, never the pipeline's pool: it holds one for its lock while it migrates
     * with another, which a pool of {@code db.pool-size=1} could not give.
     */
    private static Flyway flyway(String url, String user, String password) {
        return configure().dataSource(url, blankToNull(user), blankToNull(password)).load();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The versions not applied yet at {@code url}, oldest first; empty when the schema is current. */
    public static List<String> pending(String url, String user, String password) {
        return Arrays.stream(flyway(url, user, password).info().pending()).map(m -> m.getVersion().getVersion()).toList();
    }

    /**
     * Applies what is pending; returns the versions applied (none when the schema was current). Instances starting
     * together take turns under a PostgreSQL advisory lock of login-etl's own: Flyway's lock is taken only after it
     * has looked for its history table, so two first starts on an empty schema could both decide to baseline.
     */
    public static List<String> migrate(String url, String user, String password) throws SQLException {
        try (Connection lock = DriverManager.getConnection(url, blankToNull(user), blankToNull(password));
             Statement s = lock.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            try {
                return flyway(url, user, password).migrate().migrations.stream().map(m -> m.version).toList();
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
            }
        }
    }

    /** The advisory lock key of login-etl's migrations (any bigint nobody else uses: "loginetl" in ASCII). */
    static final long MIGRATION_LOCK = 0x6c6f67696e65746cL;

    /** The version the schema is at, or "none". */
    public static String current(String url, String user, String password) {
        MigrationInfo current = flyway(url, user, password).info().current();
        return current == null || current.getVersion() == null ? "none" : current.getVersion().getVersion();
    }
}
