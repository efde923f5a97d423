package io.loginetl.db;

import java.sql.SQLException;
import java.util.Map;

/**
 * What a database failure means for the pipeline, read from its SQLState and never from its message (PgJDBC
 * messages quote the statement and the failing row).
 * <ul>
 * <li>data errors, classes 22 (data exception) and 23 (integrity constraint violation): the row can never be
 * written as it is; a batch that fails so is split to find the rows, which are dead-lettered;</li>
 * <li>everything else (connection, server shutdown, read-only, lock timeout, ...): transient, retried.</li>
 * </ul>
 */
public final class SqlErrors {

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("22001", "value too long for its column"),
            Map.entry("22003", "number out of range"),
            Map.entry("22007", "invalid date or time"),
            Map.entry("22008", "date or time out of range"),
            Map.entry("22021", "character not in the database encoding"),
            Map.entry("22P02", "invalid text representation"),
            Map.entry("22P05", "character the database encoding cannot represent"),
            Map.entry("23502", "not-null violation"),
            Map.entry("23503", "foreign key violation"),
            Map.entry("23505", "unique violation"),
            Map.entry("23514", "check constraint violation"));

    private SqlErrors() {
    }

    /** The first SQLState in the cause chain (following {@link SQLException#getNextException()}), or null. */
    public static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (e.getSQLState() != null) {
                        return e.getSQLState();
                    }
                }
            }
        }
        return null;
    }

    /** True when the rows themselves are at fault (SQLState class 22 or 23), not the database. */
    public static boolean isDataError(Throwable failure) {
        String state = sqlState(failure);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /**
     * True when the database cannot be reached or cannot take writes: connection failures (class 08), server
     * shutdown (57P0x), insufficient resources (53), read-only (25006), or no connection from the pool at all.
     * Only these pause polling; a deadlock or a bug is retried without pausing.
     */
    public static boolean isUnavailable(Throwable failure) {
        String state = sqlState(failure);
        if (state != null && (state.startsWith("08") || state.startsWith("57P0") || state.startsWith("53")
                || state.equals("25006"))) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.net.ConnectException
                    || t.getClass().getSimpleName().equals("CannotGetJdbcConnectionException")) {
                return true;
            }
        }
        return false;
    }

    /** The dead-letter reason for a row the database refused. */
    public static String rejectionReason(Throwable failure) {
        String state = sqlState(failure);
        return "rejected by the database: SQLState " + state + " (" + NAMES.getOrDefault(state, "data error") + ")";
    }

    /** The kind of a failure for a log line: SQLState and class, never the message text. */
    public static String describe(Throwable failure) {
        String state = sqlState(failure);
        Throwable root = failure;
        while (root != null && root.getCause() != null) {
            root = root.getCause();
        }
        String kind = root == null ? "unknown" : root.getClass().getSimpleName();
        return state == null ? kind : "SQLState " + state + ", " + kind;
    }
}
