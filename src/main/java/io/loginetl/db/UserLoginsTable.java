package io.loginetl.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/**
 * The target table as the database has it. {@link #prepare} creates {@code user_logins} when it is absent
 * ({@code db/user_logins.sql}) and reads the column types back, so values are checked against the real lengths
 * and {@code app_version} is written as an encoded integer or as the text sent, whichever the table has.
 */
public final class UserLoginsTable {

    public static final List<String> COLUMNS = List.of(
            "user_id", "device_type", "masked_ip", "masked_device_id", "locale", "app_version", "create_date");

    private final Map<String, Integer> maxLengths;
    private final boolean appVersionIsText;

    public UserLoginsTable(Map<String, Integer> maxLengths, boolean appVersionIsText) {
        this.maxLengths = maxLengths;
        this.appVersionIsText = appVersionIsText;
    }

    public static UserLoginsTable prepare(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            createIfAbsent(c);
            return inspect(c);
        }
    }

    private static void createIfAbsent(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(resource("db/user_logins.sql"));
        } catch (SQLException e) {
            // two instances starting together can race on CREATE TABLE IF NOT EXISTS; the loser sees 23505/42P07
            if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
                throw e;
            }
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
        String appVersionType = types.get("app_version");
        boolean text = appVersionType.contains("char") || appVersionType.equals("text");
        if (!text && !appVersionType.equals("integer") && !appVersionType.equals("bigint")) {
            throw new SQLException("user_logins.app_version is " + appVersionType + "; login-etl writes integer or varchar", "42804");
        }
        return new UserLoginsTable(lengths, text);
    }

    /** The declared length of a character column, or null when unlimited or not a character column. */
    public Integer maxLength(String column) {
        return maxLengths.get(column);
    }

    public boolean appVersionIsText() {
        return appVersionIsText;
    }

    static String resource(String name) {
        try (InputStream in = UserLoginsTable.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
