package io.loginetl.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** A batch of row maps becomes one array per named parameter, in the query's order, typed for PostgreSQL. */
class BatchColumnsTest {

    private static final String QUERY = "INSERT INTO t (a, b, c) SELECT * FROM unnest(:?b, :?a, :?c)";

    private static List<Object> values(DefaultSqlPrepareStatementStrategy strategy, Object body) throws Exception {
        List<Object> values = new ArrayList<>();
        Iterator<?> it = strategy.createPopulateIterator(QUERY, "", 3, exchange(), body);
        it.forEachRemaining(values::add);
        return values;
    }

    private static Exchange exchange() {
        return new DefaultExchange(new DefaultCamelContext());
    }

    private static Map<String, Object> row(Object a, Object b, Object c) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("a", a);
        row.put("b", b);
        row.put("c", c);
        row.put("unused", "x");
        return row;
    }

    @Test
    void eachNamedParameterIsTheColumnOfThatNameInTheQuerysOrder() throws Exception {
        List<Object> columns = values(new BatchColumns(),
                List.of(row(1, "one", new byte[] {1}), row(2, "two", new byte[] {2}), row(3, "three", new byte[] {3})));
        assertArrayEquals(new String[] {"one", "two", "three"}, (String[]) columns.get(0));
        assertArrayEquals(new Long[] {1L, 2L, 3L}, (Long[]) columns.get(1));
        assertArrayEquals(new byte[][] {{1}, {2}, {3}}, (byte[][]) columns.get(2));
    }

    @Test
    void nullsStayNullAndAColumnOfNullsWithoutADeclaredTypeIsText() throws Exception {
        List<Object> columns = values(new BatchColumns(), List.of(row(null, "one", null), row(7, null, null)));
        assertArrayEquals(new String[] {"one", null}, (String[]) columns.get(0));
        assertArrayEquals(new Long[] {null, 7L}, (Long[]) columns.get(1));
        assertArrayEquals(new String[] {null, null}, (String[]) columns.get(2));
    }

    @Test
    void aColumnOfNullsTakesTheArrayOfItsDeclaredTypeSoTheParameterTypesStayTheSame() throws Exception {
        BatchColumns typed = new BatchColumns(Map.of("a", "integer", "b", "varchar", "c", "bytea"));
        List<Object> nulls = values(typed, List.of(row(null, null, null), row(null, null, null)));
        assertArrayEquals(new String[] {null, null}, (String[]) nulls.get(0));
        assertArrayEquals(new Long[] {null, null}, (Long[]) nulls.get(1));
        assertArrayEquals(new byte[][] {null, null}, (byte[][]) nulls.get(2));
        // with values, the values decide, as without declared types
        List<Object> some = values(typed, List.of(row(7, "x", new byte[] {1}), row(null, null, null)));
        for (int i = 0; i < 3; i++) {
            assertEquals(nulls.get(i).getClass(), some.get(i).getClass());
        }
    }

    @Test
    void datesAndOtherValuesGoAsTheirTextForTheQueryToCast() throws Exception {
        List<Object> columns = values(new BatchColumns(), List.of(row(LocalDate.of(2026, 11, 22), "x", null), row("2.5", "y", null)));
        assertArrayEquals(new String[] {"2026-11-22", "2.5"}, (String[]) columns.get(1));
    }

    @Test
    void aRowWithoutANamedValueFailsNamingTheKeyNeverAValue() {
        Map<String, Object> incomplete = new HashMap<>(row(1, "secret-ip", null));
        incomplete.remove("c");
        SQLException e = assertThrows(SQLException.class,
                () -> values(new BatchColumns(), List.of(row(1, "secret-ip", null), incomplete)));
        assertTrue(e.getMessage().contains("named c"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-ip"), e.getMessage());
    }

    @Test
    void bytesMixedWithOtherValuesAreRefused() {
        SQLException e = assertThrows(SQLException.class,
                () -> values(new BatchColumns(), List.of(row(1, "a", new byte[] {1}), row(2, "b", "text"))));
        assertTrue(e.getMessage().contains("column c"), e.getMessage());
    }

    @Test
    void aSingleMapIsLeftToCamelSql() throws Exception {
        Map<String, Object> one = row(1, "two", "three");
        List<Object> ours = values(new BatchColumns(), one);
        assertEquals(values(new DefaultSqlPrepareStatementStrategy(), one), ours);
        assertInstanceOf(String.class, ours.get(0));
    }

    @Test
    void formsItDoesNotReadAreLeftToCamelSql() {
        assertNull(BatchColumns.names("SELECT * FROM t WHERE id IN (:?in:ids)"));
        assertNull(BatchColumns.names("SELECT :?${header.x}"));
        assertEquals(List.of("b", "a", "c"), BatchColumns.names(QUERY));
    }
}
