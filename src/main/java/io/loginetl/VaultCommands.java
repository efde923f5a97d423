package io.loginetl;

import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.loginetl.vault.AuditTrail;
import io.loginetl.vault.VaultKeys;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * {@code recover MASKED...}, {@code forget MASKED...} and {@code rekey}, for holders of the vault key. Every call
 * is recorded in {@code login_etl_audit} (when, the database role and client address as the server sees them, the OS
 * user the client claims, the mandatory {@code --reason}, which masked values, the outcome) before
 * anything is printed; the originals are never recorded. Settings come from the same application.properties and
 * environment variables as the pipeline (DB_URL, DB_USER, DB_PASSWORD, PII_VAULT_KEY).
 */
public final class VaultCommands {

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> settings;

    VaultCommands(PrintStream out, PrintStream err, Map<String, String> settings) {
        this.out = out;
        this.err = err;
        this.settings = settings;
    }

    /** Runs {@code args[0]} (recover, forget or rekey); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        quietLogging();
        return new VaultCommands(out, err, LoginEtl.settings(null, "db.url", "db.user", "db.password", "pii.vault.secret")).run(args);
    }

    /** Standard output carries only the command's own lines, which scripts read: Camel's and Flyway's chatter kept off it. */
    static void quietLogging() {
        Configurator.setLevel("org.apache.camel", Level.WARN);
        Configurator.setLevel("org.flywaydb", Level.WARN);
    }

    int run(String[] args) throws SQLException {
        String command = args[0];
        String reason = null;
        List<String> masked = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--reason") && i + 1 < args.length) {
                reason = args[++i];
            } else if (args[i].startsWith("--reason=")) {
                reason = args[i].substring("--reason=".length());
            } else if (!masked.contains(args[i])) {
                masked.add(args[i]); // once each: the audit's counts and the exit code agree
            }
        }
        if (command.equals("rekey") ? !masked.isEmpty() : masked.isEmpty()) {
            err.println(command.equals("rekey") ? "usage: java -jar login-etl.jar rekey --reason TEXT"
                    : "usage: java -jar login-etl.jar " + command + " MASKED... --reason TEXT");
            return 2;
        }
        if (reason == null || reason.isBlank()) {
            err.println("login-etl: " + command + " needs --reason TEXT (a ticket, a request): it is written to the audit first");
            return 2;
        }
        try (Connection db = connect()) {
            return switch (command) {
                case "recover" -> recover(db, masked, reason);
                case "forget" -> forget(db, masked, reason);
                default -> rekey(db, reason);
            };
        }
    }

    private int recover(Connection db, List<String> masked, String reason) throws SQLException {
        VaultKeys keys = keys();
        Map<String, String> recovered = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        TreeSet<String> unopenedKeys = new TreeSet<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT key_id, sealed FROM login_etl_vault WHERE masked = ?")) {
            for (String m : masked) {
                ps.setString(1, m);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getBytes(2) == null) { // never stored, or forgotten (a tombstone)
                        missing.add(m);
                        continue;
                    }
                    try {
                        recovered.put(m, keys.open(m, rs.getString(1), rs.getBytes(2)));
                    } catch (GeneralSecurityException e) {
                        unopenedKeys.add(rs.getString(1));
                    }
                }
            }
        }
        String outcome = "recovered " + recovered.size() + " of " + masked.size()
                + (missing.isEmpty() ? "" : ", " + missing.size() + " not in the vault")
                + (unopenedKeys.isEmpty() ? "" : ", " + (masked.size() - recovered.size() - missing.size()) + " not opened by the key");
        AuditTrail.record(db, "recover", reason, masked, outcome);
        recovered.forEach((m, original) -> out.println(m + "\t" + escape(original)));
        if (!unopenedKeys.isEmpty()) {
            err.println("login-etl: PII_VAULT_KEY (key " + keys.newestId() + ") does not open the vault entries under key "
                    + String.join(", ", unopenedKeys) + "; no original printed for them");
        }
        if (!missing.isEmpty()) {
            err.println("login-etl: not in the vault (written without a vault key, or forgotten): " + String.join(" ", missing));
        }
        return recovered.size() == masked.size() ? 0 : 1;
    }

    /**
     * Erases the originals and leaves tombstones, with the audit row, in one transaction; then rewrites the vault's
     * files so the erased ciphertexts are not left behind as dead row versions. A tombstone is the value's vault row
     * without its ciphertext, so the pipeline's {@code ON CONFLICT (masked) DO NOTHING} can never store the original
     * again: a batch writing the value at the same moment waits for this transaction, or this one for it.
     */
    private int forget(Connection db, List<String> masked, String reason) throws SQLException {
        boolean mayPurge = mayVacuum(db);
        List<String> erased = inTransaction(db, () -> {
            java.sql.Array values = db.createArrayOf("varchar", masked.toArray());
            // first a tombstone for each value with no row yet (in key order, as the pipeline inserts: no deadlock)
            try (PreparedStatement tombstone = db.prepareStatement("INSERT INTO login_etl_vault (masked, forgotten_at) "
                    + "SELECT m, now() FROM unnest(?::varchar[]) AS m ORDER BY m ON CONFLICT (masked) DO NOTHING")) {
                tombstone.setArray(1, values);
                tombstone.executeUpdate();
            }
            // then the entries that hold an original, including those a batch committed while the tombstones waited
            List<String> done = new ArrayList<>();
            try (PreparedStatement erase = db.prepareStatement("UPDATE login_etl_vault SET key_id = NULL, sealed = NULL, "
                    + "forgotten_at = now() WHERE masked = ANY (?) AND sealed IS NOT NULL RETURNING masked")) {
                erase.setArray(1, values);
                try (ResultSet rs = erase.executeQuery()) {
                    while (rs.next()) {
                        done.add(rs.getString(1));
                    }
                }
            }
            int absent = masked.size() - done.size();
            AuditTrail.record(db, "forget", reason, masked, "erased " + done.size() + " of " + masked.size()
                    + (absent == 0 ? "" : ", " + absent + " not in the vault"));
            return done;
        });
        out.println("forgot " + erased.size() + " of " + masked.size() + " masked values: their originals can no longer be recovered");
        int exit = 0;
        if (!erased.isEmpty()) {
            if (mayPurge) {
                purge(db);
            } else {
                err.println("login-etl: the erased ciphertexts stay in login_etl_vault's files as dead row versions until it is "
                        + "vacuumed: grant DB_USER MAINTAIN on login_etl_vault (PostgreSQL 17+; least-privilege.sql does), or "
                        + "have its owner run VACUUM FULL login_etl_vault");
                exit = 1;
            }
        }
        List<String> absent = masked.stream().filter(m -> !erased.contains(m)).toList();
        if (!absent.isEmpty()) {
            err.println("login-etl: not in the vault (written without a vault key, forgotten before, or never seen; "
                    + "kept out of it from now on): " + String.join(" ", absent));
            exit = 1;
        }
        return exit;
    }

    /**
     * VACUUM FULL: the vault rewritten into new files holding only the live rows, the old files dropped. A plain
     * VACUUM would free the dead versions' space but leave their bytes on the page until overwritten.
     */
    private static void purge(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("VACUUM (FULL) login_etl_vault");
        }
    }

    /** Whether DB_USER may VACUUM the vault: MAINTAIN (PostgreSQL 17+), else owning it or being a superuser. */
    private static boolean mayVacuum(Connection db) throws SQLException {
        String check = db.getMetaData().getDatabaseMajorVersion() >= 17
                ? "SELECT has_table_privilege('login_etl_vault', 'MAINTAIN')"
                : "SELECT pg_has_role(relowner, 'USAGE') OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
                        + "FROM pg_class WHERE oid = 'login_etl_vault'::regclass";
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(check)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** Control characters in an original (a tab or newline could forge output lines) as backslash escapes. */
    static String escape(String original) {
        StringBuilder b = new StringBuilder(original.length());
        original.codePoints().forEach(c -> {
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    private int rekey(Connection db, String reason) throws SQLException {
        VaultKeys keys = keys();
        List<String> failed = new ArrayList<>();
        int done = inTransaction(db, () -> reseal(db, keys, reason, failed));
        out.println("re-encrypted " + done + " vault entries under key " + keys.newestId());
        if (!failed.isEmpty()) {
            err.println("login-etl: " + failed.size() + " entries are under keys PII_VAULT_KEY does not hold; add the old key "
                    + "after the new one and run rekey again");
            return 1;
        }
        return 0;
    }

    /**
     * Re-encrypts every entry not under the newest key or not in the current (padded) format; those no key opens go
     * to {@code failed}.
     */
    private int reseal(Connection db, VaultKeys keys, String reason, List<String> failed) throws SQLException {
        int done = 0;
        try (PreparedStatement select = db.prepareStatement(
                "SELECT masked, key_id, sealed FROM login_etl_vault WHERE sealed IS NOT NULL FOR UPDATE");
             PreparedStatement update = db.prepareStatement("UPDATE login_etl_vault SET key_id = ?, sealed = ? WHERE masked = ?")) {
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String m = rs.getString(1);
                    try {
                        VaultKeys.Opened opened = keys.unseal(m, rs.getString(2), rs.getBytes(3));
                        if (opened.current() && keys.newestId().equals(rs.getString(2))) {
                            continue;
                        }
                        update.setString(1, keys.newestId());
                        update.setBytes(2, keys.seal(m, opened.original()));
                        update.setString(3, m);
                        update.addBatch();
                        done++;
                    } catch (GeneralSecurityException e) {
                        failed.add(m);
                    }
                }
            }
            update.executeBatch();
            AuditTrail.record(db, "rekey", reason, List.of(), "re-encrypted " + done + " under key " + keys.newestId()
                    + (failed.isEmpty() ? "" : ", " + failed.size() + " not opened"));
        }
        return done;
    }

    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    private static <T> T inTransaction(Connection db, SqlWork<T> work) throws SQLException {
        db.setAutoCommit(false);
        try {
            T result = work.run();
            db.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    private VaultKeys keys() {
        String key = settings.getOrDefault("pii.vault.secret", "");
        if (key.isBlank()) {
            throw new ConfigurationException("PII_VAULT_KEY", "is not set: recovering originals needs the vault key");
        }
        try {
            return VaultKeys.parse(key);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("PII_VAULT_KEY", e.getMessage());
        }
    }

    private Connection connect() {
        return connect(settings);
    }

    /** A connection to DB_URL as DB_USER, for a command that runs no DDL: the schema must be current. */
    static Connection connect(Map<String, String> settings) {
        String url = settings.getOrDefault("db.url", "");
        if (url.isBlank()) {
            throw new ConfigurationException("DB_URL", "is not set: give the JDBC URL of the PostgreSQL that holds the vault");
        }
        StartupChecks.checkDbUrl(url);
        String user = blankToNull(settings.get("db.user"));
        String password = blankToNull(settings.get("db.password"));
        // the operator's commands run no DDL: the schema is the owner's (`migrate`)
        List<String> pending = StartupChecks.pendingVersions(new StartupChecks.Database(url, user, password));
        if (!pending.isEmpty()) {
            throw new ConfigurationException("DB_URL", "is not at login-etl's schema version " + pending.get(pending.size() - 1)
                    + ": " + StartupChecks.RUN_MIGRATE);
        }
        try {
            return DriverManager.getConnection(url, user, password);
        } catch (SQLException e) {
            throw new ConfigurationException("DB_URL", "cannot be used: " + e.getMessage());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
