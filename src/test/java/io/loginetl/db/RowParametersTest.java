package io.loginetl.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** A row map becomes the values of a query's named parameters, in the query's order, exactly as camel-sql binds them. */
class RowParametersTest {

    private static final String QUERY = "INSERT INTO t (a, b) SELECT :?b, :?a WHERE :?b IS NOT NULL";

    private static List<Object> values(DefaultSqlPrepareStatementStrategy strategy, Exchange exchange, Object row) throws Exception {
        List<Object> values = new ArrayList<>();
        Iterator<?> it = strategy.createPopulateIterator(QUERY, "", 3, exchange, row);
        it.forEachRemaining(values::add);
        return values;
    }

    private static Exchange exchange() {
        return new DefaultExchange(new DefaultCamelContext());
    }

    @Test
    void bindsTheSameValuesInTheSameOrderAsCamelSql() throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("a", 1);
        row.put("b", "two");
        row.put("unused", "x");
        List<Object> ours = values(new RowParameters(), exchange(), row);
        assertEquals(List.of("two", 1, "two"), ours);
        assertEquals(values(new DefaultSqlPrepareStatementStrategy(), exchange(), row), ours);
    }

    @Test
    void aNullValueIsANullParameter() throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("a", null);
        row.put("b", "two");
        List<Object> ours = values(new RowParameters(), exchange(), row);
        assertNull(ours.get(1));
        assertEquals(values(new DefaultSqlPrepareStatementStrategy(), exchange(), row), ours);
    }

    @Test
    void aKeyMissingFromTheRowIsLookedUpTheWayCamelSqlDoes() throws Exception {
        Exchange withHeader = exchange();
        withHeader.getMessage().setHeader("b", "from a header");
        assertEquals(List.of("from a header", 1, "from a header"), values(new RowParameters(), withHeader, Map.of("a", 1)));
        // and missing everywhere: camel-sql's own error, naming the key (never a value)
        Exception missing = assertThrows(Exception.class, () -> values(new RowParameters(), exchange(), Map.of("a", 1)).size());
        assertEquals(true, missing.getMessage().contains("Cannot find key [b]"), missing.getMessage());
    }

    @Test
    void formsItDoesNotReadAreLeftToCamelSql() {
        assertNull(RowParameters.names("SELECT * FROM t WHERE id IN (:?in:ids)"));
        assertNull(RowParameters.names("SELECT :?${header.x}"));
        assertEquals(List.of("b", "a", "b"), RowParameters.names(QUERY));
    }
}
