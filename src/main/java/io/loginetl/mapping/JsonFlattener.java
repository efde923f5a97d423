package io.loginetl.mapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Flattens a parsed JSON object: nested objects become dotted keys ({@code {"a":{"b":1}}} gives {@code a.b}),
 * array elements get their index ({@code tags.0}). Scalars and nulls are kept as they are.
 * <p>
 * Anything else than an object is not a login. The work is bounded before it is done: every dotted key repeats
 * its parents' names, so a small body of long names over a wide array would otherwise flatten into gigabytes.
 * A key longer than {@value #MAX_KEY_LENGTH} characters, or more than {@value #MAX_VALUES} values (fields and
 * array elements, empty objects and arrays included) refuse the message.
 */
public final class JsonFlattener implements Processor {

    public static final int MAX_VALUES = 1_000;
    public static final int MAX_KEY_LENGTH = 1_024;

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().setBody(flatten(exchange.getMessage().getBody()));
    }

    /** The flat fields of a JSON object (as Jackson reads it: maps, lists, scalars). */
    public Map<String, Object> flatten(Object json) {
        if (!(json instanceof Map<?, ?> object)) {
            throw new InvalidLoginException("not a login event: the JSON is not an object");
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        int[] values = {0};
        object.forEach((key, value) -> put(flat, values, String.valueOf(key), value));
        return flat;
    }

    /** Puts one value under its key; {@code values} counts every value seen, so no more than one key past the limit is built. */
    private static void put(Map<String, Object> flat, int[] values, String key, Object value) {
        if (++values[0] > MAX_VALUES) {
            throw new InvalidLoginException("the JSON has more than " + MAX_VALUES + " values (fields and array elements)");
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> put(flat, values, child(key, String.valueOf(k)), v));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                put(flat, values, child(key, Integer.toString(i)), list.get(i));
            }
        } else {
            flat.put(key, value);
        }
    }

    private static String child(String parent, String name) {
        if (parent.length() + 1L + name.length() > MAX_KEY_LENGTH) {
            throw new InvalidLoginException("the JSON nests a field under a path longer than " + MAX_KEY_LENGTH + " characters");
        }
        return parent + "." + name;
    }
}
