package io.loginetl.db;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;

/**
 * camel-sql's statement strategy for a set-based insert: a batch given as a list of row maps binds each named
 * parameter to the column of that name, as one array ({@code text[]}, {@code bigint[]} or {@code bytea[]}, which the
 * query casts and unnests). So a batch is one statement and one round trip, not a statement per row; PostgreSQL
 * spends less than half the CPU per row. The names are read from the query once, not once per execution. Anything
 * but a list of maps is left to camel-sql.
 * <p>
 * A column's array type follows its values; a column with no value but nulls takes the array type of the SQL type
 * declared for it, so one statement keeps the same parameter types from batch to batch (a type that changes makes
 * the driver prepare the statement again).
 */
public final class BatchColumns extends DefaultSqlPrepareStatementStrategy {

    /** A named parameter once camel-sql has turned {@code :#name} into {@code :?name}. */
    private static final Pattern NAME = Pattern.compile(":\\?(\\w+)");
    private static final Set<String> INTEGER_TYPES = Set.of("bigint", "integer", "smallint");

    private final Map<String, List<String>> namesByQuery = new ConcurrentHashMap<>();
    private final Map<String, String> sqlTypes;

    /** No declared types: a column of nulls goes as {@code text[]}. */
    public BatchColumns() {
        this(Map.of());
    }

    /** @param sqlTypes the SQL type of each named parameter ({@code bigint}, {@code bytea}, ...), for columns of nulls */
    public BatchColumns(Map<String, String> sqlTypes) {
        this.sqlTypes = Map.copyOf(sqlTypes);
    }

    @Override
    public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams, Exchange exchange,
            Object value) throws SQLException {
        if (!(value instanceof List<?> rows) || rows.isEmpty() || !rows.stream().allMatch(Map.class::isInstance)) {
            return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
        }
        List<String> names = namesByQuery.computeIfAbsent(query, BatchColumns::names);
        if (names == null || names.size() != expectedParams) {
            return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
        }
        List<Object> columns = new ArrayList<>(names.size());
        for (String name : names) {
            columns.add(column(rows, name, sqlTypes.getOrDefault(name, "")));
        }
        return columns.iterator();
    }

    /**
     * The values of {@code name} in each row, as a String[], Long[] or byte[][]; all nulls: the array of
     * {@code sqlType} (bigint, integer, smallint: Long[]; bytea: byte[][]; anything else: String[]).
     */
    static Object column(List<?> rows, String name, String sqlType) throws SQLException {
        Object[] values = new Object[rows.size()];
        boolean bytes = false;
        boolean integers = true;
        boolean others = false;
        for (int i = 0; i < values.length; i++) {
            Map<?, ?> row = (Map<?, ?>) rows.get(i);
            Object v = row.get(name);
            if (v == null && !row.containsKey(name)) {
                // names only, never values: rows carry personal data
                throw new SQLException("a row of the batch has no value named " + name);
            }
            values[i] = v;
            if (v instanceof byte[]) {
                bytes = true;
            } else if (v != null) {
                others = true;
                integers &= v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte;
            }
        }
        if (!bytes && !others) {
            bytes = sqlType.equals("bytea");
            others = integers = INTEGER_TYPES.contains(sqlType);
        }
        if (bytes && others) {
            throw new SQLException("column " + name + " of the batch mixes bytes with other values");
        }
        if (bytes) {
            byte[][] column = new byte[values.length][];
            for (int i = 0; i < values.length; i++) {
                column[i] = (byte[]) values[i];
            }
            return column;
        }
        if (others && integers) {
            Long[] column = new Long[values.length];
            for (int i = 0; i < values.length; i++) {
                column[i] = values[i] == null ? null : ((Number) values[i]).longValue();
            }
            return column;
        }
        String[] column = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            column[i] = values[i] == null ? null : values[i].toString();
        }
        return column;
    }

    /** The parameter names in order, or null for a form this class does not read ({@code :?in:}, {@code ${...}}). */
    static List<String> names(String query) {
        if (query.contains(":?in:") || query.contains(":?$")) {
            return null;
        }
        List<String> names = new ArrayList<>();
        Matcher m = NAME.matcher(query);
        while (m.find()) {
            names.add(m.group(1));
        }
        return List.copyOf(names);
    }
}
