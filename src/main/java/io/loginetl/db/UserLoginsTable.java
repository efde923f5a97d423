package io.loginetl.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/**
 * The target table as the database has it ({@link Schema}'s migrations create it when absent): its column types,
 * so values are checked against the real lengths and {@code app_version} is written as an encoded integer or as the
 * text sent, whichever the table has.
 */
public final class UserLoginsTable {

    public static final List<String> COLUMNS = List.of(
            "user_id", "device_type", "masked_ip", "masked_device_id", "locale", "app_version", "create_date");

    /** Length of a masked value: HMAC-SHA-256 in hex. */
    public static final int MASKED_LENGTH = 64;

    private final Map<String, Integer> maxLengths;
    private final String appVersionType;

    public UserLoginsTable(Map<String, Integer> maxLengths, String appVersionType) {
        this.maxLengths = maxLengths;
        this.appVersionType = appVersionType;
    }

    /** Reads {@code user_logins} as the database declares it (after the schema's migrations). */
    public static UserLoginsTable inspect(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return inspect(c);
        }
    }

    private static UserLoginsTable inspect(Connection c) throws SQLException {
        Map<String, String> types = new HashMap<>();
        Map<String, Integer> lengths = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT column_name, data_type, character_maximum_length
                FROM information_schema.columns
                WHERE table_name = 'user_logins' AND table_schema = current_schema()""")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                    int length = rs.getInt(3);
                    lengths.put(rs.getString(1), rs.wasNull() ? null : length);
                }
            }
        }
        for (String column : COLUMNS) {
            if (!types.containsKey(column)) {
                throw new SQLException("table user_logins has no column " + column, "42703");
            }
        }
        for (String masked : List.of("masked_ip", "masked_device_id")) {
            Integer length = lengths.get(masked);
            if (length != null && length < MASKED_LENGTH) {
                throw new SQLException("user_logins." + masked + " holds " + length + " characters; masked values have "
                        + MASKED_LENGTH, "22001");
            }
        }
        String appVersionType = switch (types.get("app_version")) {
            case "integer", "bigint", "text" -> types.get("app_version");
            case "character varying" -> "varchar";
            default -> throw new SQLException("user_logins.app_version is " + types.get("app_version")
                    + "; login-etl writes integer or varchar", "42804");
        };
        return new UserLoginsTable(lengths, appVersionType);
    }

    /** The declared length of a character column, or null when unlimited or not a character column. */
    public Integer maxLength(String column) {
        return maxLengths.get(column);
    }

    public boolean appVersionIsText() {
        return appVersionType.equals("varchar") || appVersionType.equals("text");
    }

    /** The SQL type of {@code app_version} as declared: integer, bigint, varchar or text. */
    public String appVersionType() {
        return appVersionType;
    }
}
