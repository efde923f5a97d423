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
 * Anything else than an object is not a login. The output is bounded before it is built: every dotted key repeats
 * its parents' names, so a small body of long names over a wide array would otherwise flatten into gigabytes;
 * a key longer than {@value #MAX_KEY_LENGTH} characters or more than {@value #MAX_FIELDS} fields refuse the message.
 */
public final class JsonFlattener implements Processor {

    public static final int MAX_FIELDS = 1_000;
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
        object.forEach((key, value) -> put(flat, String.valueOf(key), value));
        return flat;
    }

    private static void put(Map<String, Object> flat, String key, Object value) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> put(flat, child(key, String.valueOf(k)), v));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                put(flat, child(key, Integer.toString(i)), list.get(i));
            }
        } else {
            if (flat.size() >= MAX_FIELDS && !flat.containsKey(key)) {
                throw new InvalidLoginException("the JSON has more than " + MAX_FIELDS + " fields once flattened");
            }
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
