package io.loginetl.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The writer binds every batch with the same parameter types, whether a column holds values or only nulls, so the
 * driver keeps its prepared statement from batch to batch.
 */
class BatchWriterStatementTest {

    private static List<Class<?>> parameterTypes(String appVersionType, Map<String, Object> row) throws Exception {
        String named = BatchWriterRoutes.insert(appVersionType).replace(":#", ":?"); // what camel-sql hands over
        int parameters = BatchWriterRoutes.columns(appVersionType).size();
        Iterator<?> values = BatchWriterRoutes.statementStrategy(appVersionType).createPopulateIterator(named, "",
                parameters, new DefaultExchange(new DefaultCamelContext()), List.of(row, new LinkedHashMap<>(row)));
        List<Class<?>> types = new ArrayList<>();
        values.forEachRemaining(v -> types.add(v.getClass()));
        return types;
    }

    private static Map<String, Object> row(Object appVersion, boolean vault) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("sqs_message_id", "m-1");
        row.put("user_id", "u-1");
        row.put("device_type", "android");
        row.put("masked_ip", "mask-ip");
        row.put("masked_device_id", "mask-device");
        row.put("locale", null);
        row.put("app_version", appVersion);
        row.put("create_date", LocalDate.of(2026, 11, 22));
        row.put("vault_key_id", vault ? "k1" : null);
        row.put("vault_ip", vault ? new byte[] {1} : null);
        row.put("vault_device_id", vault ? new byte[] {2} : null);
        return row;
    }

    @ParameterizedTest
    @ValueSource(strings = {"integer", "bigint"})
    void aBatchOfNullVersionsAndNoVaultIsBoundWithTheTypesOfAFullOneOnAnIntegerTable(String type) throws Exception {
        assertEquals(parameterTypes(type, row(20300, true)), parameterTypes(type, row(null, false)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"varchar", "text"})
    void aBatchOfNullVersionsAndNoVaultIsBoundWithTheTypesOfAFullOneOnATextTable(String type) throws Exception {
        assertEquals(parameterTypes(type, row("2.3.0", true)), parameterTypes(type, row(null, false)));
    }
}
