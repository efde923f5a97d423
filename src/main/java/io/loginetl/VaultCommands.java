package io.loginetl;

import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

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
        // standard output carries only MASKED<TAB>ORIGINAL lines, which scripts read: keep Camel's chatter off it
        Configurator.setLevel("org.apache.camel", Level.WARN);
        Configurator.setLevel("org.flywaydb", Level.WARN);
        return new VaultCommands(out, err, LoginEtl.settings(null, "db.url", "db.user", "db.password", "pii.vault.secret")).run(args);
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
                    if (!rs.next()) {
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
        audit(db, "recover", reason, masked, outcome);
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

    /** Erases the entries and records tombstones (the pipeline never stores them again), with the audit row, atomically. */
    private int forget(Connection db, List<String> masked, String reason) throws SQLException {
        List<String> erased = inTransaction(db, () -> {
            try (PreparedStatement delete = db.prepareStatement("DELETE FROM login_etl_vault WHERE masked = ANY (?) RETURNING masked");
                 PreparedStatement tombstone = db.prepareStatement(
                         "INSERT INTO login_etl_forgotten (masked) SELECT unnest(?::varchar[]) ON CONFLICT DO NOTHING")) {
                java.sql.Array values = db.createArrayOf("varchar", masked.toArray());
                delete.setArray(1, values);
                List<String> deleted = new ArrayList<>();
                try (ResultSet rs = delete.executeQuery()) {
                    while (rs.next()) {
                        deleted.add(rs.getString(1));
                    }
                }
                tombstone.setArray(1, values);
                tombstone.executeUpdate();
                int absent = masked.size() - deleted.size();
                audit(db, "forget", reason, masked, "erased " + deleted.size() + " of " + masked.size()
                        + (absent == 0 ? "" : ", " + absent + " not in the vault"));
                return deleted;
            }
        });
        out.println("forgot " + erased.size() + " of " + masked.size() + " masked values: their originals can no longer be recovered");
        List<String> absent = masked.stream().filter(m -> !erased.contains(m)).toList();
        if (!absent.isEmpty()) {
            err.println("login-etl: not in the vault (written without a vault key, forgotten before, or never seen; "
                    + "kept out of it from now on): " + String.join(" ", absent));
            return 1;
        }
        return 0;
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

    /** Re-encrypts every entry not under the newest key; those no key opens go to {@code failed}. */
    private int reseal(Connection db, VaultKeys keys, String reason, List<String> failed) throws SQLException {
        int done = 0;
        try (PreparedStatement select = db.prepareStatement(
                "SELECT masked, key_id, sealed FROM login_etl_vault WHERE key_id <> ? FOR UPDATE");
             PreparedStatement update = db.prepareStatement("UPDATE login_etl_vault SET key_id = ?, sealed = ? WHERE masked = ?")) {
            select.setString(1, keys.newestId());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String m = rs.getString(1);
                    try {
                        String original = keys.open(m, rs.getString(2), rs.getBytes(3));
                        update.setString(1, keys.newestId());
                        update.setBytes(2, keys.seal(m, original));
                        update.setString(3, m);
                        update.addBatch();
                        done++;
                    } catch (GeneralSecurityException e) {
                        failed.add(m);
                    }
                }
            }
            update.executeBatch();
            audit(db, "rekey", reason, List.of(), "re-encrypted " + done + " under key " + keys.newestId()
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

    private void audit(Connection db, String action, String reason, List<String> masked, String outcome) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO login_etl_audit (action, os_user, reason, masked_values, outcome) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, action);
            ps.setString(2, System.getProperty("user.name"));
            ps.setString(3, reason);
            ps.setArray(4, db.createArrayOf("text", masked.toArray()));
            ps.setString(5, outcome);
            ps.executeUpdate();
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
