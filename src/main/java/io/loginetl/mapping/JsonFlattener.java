package io.loginetl.mapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Flattens a parsed JSON object: nested objects become dotted keys ({@code {"a":{"b":1}}} gives {@code a.b}),
 * array elements get their index ({@code tags.0}). Scalars and nulls are kept as they are.
 */
public final class JsonFlattener implements Processor {

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws Exception {
        exchange.getMessage().setBody(flatten(exchange.getMessage().getMandatoryBody(Map.class)));
    }

    public Map<String, Object> flatten(Map<String, Object> json) {
        Map<String, Object> flat = new LinkedHashMap<>();
        json.forEach((key, value) -> put(flat, key, value));
        return flat;
    }

    private static void put(Map<String, Object> flat, String key, Object value) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> put(flat, key + "." + k, v));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                put(flat, key + "." + i, list.get(i));
            }
        } else {
            flat.put(key, value);
        }
    }
}
