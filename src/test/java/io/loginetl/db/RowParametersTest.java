package io.loginetl.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A row map becomes the values of a query's named parameters, in the query's order, names read once. */
class RowParametersTest {

    private static final String QUERY = "INSERT INTO t (a, b) SELECT :?b, :?a WHERE :?b IS NOT NULL";

    @Test
    void valuesFollowTheOrderOfTheQueryNotOfTheMap() throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("a", 1);
        row.put("b", "two");
        row.put("unused", "x");
        List<Object> values = new ArrayList<>();
        Iterator<?> it = new RowParameters().createPopulateIterator(QUERY, "", 3, null, row);
        it.forEachRemaining(values::add);
        assertEquals(List.of("two", 1, "two"), values);
    }

    @Test
    void aNullValueIsANullParameterButAMissingKeyIsAnError() throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("a", null);
        row.put("b", "two");
        Iterator<?> it = new RowParameters().createPopulateIterator(QUERY, "", 3, null, row);
        it.next();
        assertNull(it.next());
        SQLException missing = assertThrows(SQLException.class,
                () -> new RowParameters().createPopulateIterator(QUERY, "", 3, null, Map.of("a", 1)));
        assertEquals("a row has no value for the parameter b", missing.getMessage());
    }

    @Test
    void formsItDoesNotReadAreLeftToCamelSql() {
        assertNull(RowParameters.names("SELECT * FROM t WHERE id IN (:?in:ids)"));
        assertNull(RowParameters.names("SELECT :?${header.x}"));
        assertEquals(List.of("b", "a", "b"), RowParameters.names(QUERY));
    }
}
