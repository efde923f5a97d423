package io.loginetl.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonFlattenerTest {

    private final JsonFlattener flattener = new JsonFlattener();

    @Test
    void nestedObjectsBecomeDottedKeys() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("user_id", "u1");
        json.put("device", Map.of("type", "android", "os", Map.of("version", "14")));

        Map<String, Object> flat = flattener.flatten(json);

        assertEquals(Map.of("user_id", "u1", "device.type", "android", "device.os.version", "14"), flat);
    }

    @Test
    void arrayElementsAreKeyedByIndex() {
        Map<String, Object> flat = flattener.flatten(Map.of("tags", List.of("a", Map.of("b", 1))));

        assertEquals(Map.of("tags.0", "a", "tags.1.b", 1), flat);
    }

    @Test
    void scalarsAndNullsAreKeptAsTheyAre() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("locale", null);
        json.put("app_version", "2.3.0");
        json.put("flag", true);
        json.put("list", Arrays.asList((Object) null));

        Map<String, Object> flat = flattener.flatten(json);

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("locale", null);
        expected.put("app_version", "2.3.0");
        expected.put("flag", true);
        expected.put("list.0", null);
        assertEquals(expected, flat);
    }
}
