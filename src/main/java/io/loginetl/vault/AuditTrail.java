package io.loginetl.vault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code login_etl_audit}: one row per recover, forget and rekey, written through {@link #record} in the command's
 * own transaction. The database fills in the rest whatever the client sends (migration V3's trigger): the id, the
 * session's role, the client's address, the time, and {@code hash} = SHA-256(previous row's hash || the row's
 * fields), which {@link #verify} recomputes here, independently of the database's functions.
 */
public final class AuditTrail {

    private AuditTrail() {
    }

    /** Appends one row: what was done, why, to which masked values (never an original), and how it ended. */
    public static void record(Connection db, String action, String reason, List<String> masked, String outcome) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO login_etl_audit (action, os_user, reason, masked_values, outcome) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, action);
            ps.setString(2, System.getProperty("user.name")); // what the client says of itself; db_user is the server's word
            ps.setString(3, reason);
            ps.setArray(4, db.createArrayOf("text", masked.toArray()));
            ps.setString(5, outcome);
            ps.executeUpdate();
        }
    }

    /**
     * What {@link #verify} found: the rows read and the hash of the last one (the head), or the first row where the
     * chain breaks and why.
     */
    public record Verdict(long rows, String head, Long brokenAt, String problem) {
        public boolean intact() {
            return brokenAt == null && problem == null;
        }
    }

    /**
     * Walks the audit in id order. Each row must link to the hash of the row before it, and its hash must be that
     * of its own fields: a row changed, removed from the start or the middle, or slipped in breaks the chain there.
     * Rows removed from the end leave a shorter, intact chain, which {@code expectedHead} (a head recorded earlier,
     * elsewhere) catches: it must still be in the chain.
     */
    public static Verdict verify(Connection db, String expectedHead) throws SQLException {
        long rows = 0;
        byte[] previous = null;
        boolean headSeen = expectedHead == null;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT id, id::text AS id_text, (extract(epoch FROM at) * 1000000)::bigint::text, action::text, db_user::text,
                       client_addr::text, os_user::text, reason, masked_values, outcome, prev_hash, hash
                FROM login_etl_audit ORDER BY id""")) {
            while (rs.next()) {
                rows++;
                long id = rs.getLong(1);
                List<String> fields = new ArrayList<>();
                for (int i = 2; i <= 8; i++) {
                    fields.add(rs.getString(i));
                }
                Array values = rs.getArray(9);
                String[] masked = values == null ? new String[0] : (String[]) values.getArray();
                fields.add(values == null ? null : Integer.toString(masked.length));
                fields.addAll(Arrays.asList(masked));
                fields.add(rs.getString(10));
                byte[] link = rs.getBytes(11);
                byte[] hash = rs.getBytes(12);
                if (!Arrays.equals(link, previous)) {
                    return new Verdict(rows, null, id, "its link does not match the row before it: a row before it was "
                            + "removed or slipped in, or the row before it was changed");
                }
                if (!Arrays.equals(hash, chain(previous, text(fields)))) {
                    return new Verdict(rows, null, id, "its fields do not match its hash: the row was changed");
                }
                previous = hash;
                headSeen |= HexFormat.of().formatHex(hash).equalsIgnoreCase(expectedHead);
            }
        }
        String head = previous == null ? "none" : HexFormat.of().formatHex(previous);
        if (!headSeen) {
            return new Verdict(rows, head, null, "the head recorded earlier (" + expectedHead + ") is not in the chain: "
                    + "rows were removed from its end, or the chain was rewritten");
        }
        return new Verdict(rows, head, null, null);
    }

    /** The text a row's hash covers (migration V3's {@code login_etl_audit_text}): each field as its UTF-8 length, ':' and itself, '-' for null. */
    static String text(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (String f : fields) {
            if (f == null) {
                b.append('-');
            } else {
                b.append(f.getBytes(StandardCharsets.UTF_8).length).append(':').append(f);
            }
        }
        return b.toString();
    }

    /** SHA-256 of the previous hash (nothing for the first row) followed by the row's text in UTF-8. */
    static byte[] chain(byte[] previous, String text) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            if (previous != null) {
                sha256.update(previous);
            }
            return sha256.digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
