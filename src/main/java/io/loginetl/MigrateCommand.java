package io.loginetl;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * {@code migrate}: brings the database at DB_URL to login-etl's schema version with the configured credentials (the
 * owner's), then checks {@code user_logins} as the pipeline will, and exits. Run it before the pipeline when the
 * pipeline's role may not create tables ({@code db.migrate=false}, docs/pii.md).
 */
final class MigrateCommand {

    private MigrateCommand() {
    }

    static int run(PrintStream out) {
        Map<String, String> settings = LoginEtl.settings(null, "db.url", "db.user", "db.password", "db.connection-timeout");
        // Flyway's own lines would mix with this command's one line of output
        Configurator.setLevel("org.flywaydb", Level.WARN);
        StartupChecks.Database db = new StartupChecks.Database(settings.get("db.url"), settings.get("db.user"), settings.get("db.password"));
        try (HikariDataSource dataSource = PipelineBeans.dataSource(db.url(), db.user(), db.password(), 1,
                Long.parseLong(settings.get("db.connection-timeout").trim()))) {
            List<String> applied = StartupChecks.migrate(db);
            StartupChecks.prepareTable(dataSource, db, false); // user_logins as the pipeline will read it
            String version = StartupChecks.schemaVersion(db);
            out.println(applied.isEmpty()
                    ? "migrate: the database at DB_URL is already at login-etl's schema version " + version
                    : "migrate: the database at DB_URL is now at login-etl's schema version " + version
                            + " (applied " + String.join(", ", applied) + ")");
            return 0;
        }
    }
}
