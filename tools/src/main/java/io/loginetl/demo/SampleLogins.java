package io.loginetl.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Generated login messages that look like real traffic: repeated users, ips and device ids (so the masked
 * columns have duplicates to find), null locales and versions, versions like 2.3.0, 0.96 and 3.7.
 * Deterministic for a seed.
 */
public final class SampleLogins {

    /** Messages that are not valid logins, one of each kind the demo shows. */
    public static final List<String> BAD = List.of(
            "{\"foo\":\"oops\",\"bar\":\"123\"}",
            "this is not json",
            "{\"user_id\":\"00000000-0000-4000-8000-000000000000\",\"app_version\":\"2.3.0-beta\",\"device_type\":\"ios\"}");

    private static final String[] VERSIONS = {"2.3.0", "0.96", "3.7", "1.0.12", "2.10.1", null};
    private static final String[] LOCALES = {"RU", "US", "DE", "BR", "IN", null};
    private static final String[] DEVICE_TYPES = {"android", "ios"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleLogins() {
    }

    /** {@code count} valid login messages. */
    public static List<String> generate(int count, long seed) {
        Random random = new Random(seed);
        List<String> users = pool(Math.max(1, count / 3), () -> new UUID(random.nextLong(), random.nextLong()).toString());
        List<String> ips = pool(Math.max(1, count / 6), () ->
                random.nextInt(1, 224) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255));
        List<String> devices = pool(Math.max(1, count / 8), () ->
                "%03d-%02d-%04d".formatted(random.nextInt(1000), random.nextInt(100), random.nextInt(10000)));
        List<String> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, Object> login = new LinkedHashMap<>();
            login.put("user_id", users.get(random.nextInt(users.size())));
            login.put("app_version", VERSIONS[random.nextInt(VERSIONS.length)]);
            login.put("device_type", DEVICE_TYPES[random.nextInt(DEVICE_TYPES.length)]);
            login.put("ip", ips.get(random.nextInt(ips.size())));
            login.put("locale", LOCALES[random.nextInt(LOCALES.length)]);
            login.put("device_id", devices.get(random.nextInt(devices.size())));
            messages.add(toJson(login));
        }
        return messages;
    }

    public static String toJson(Map<String, Object> login) {
        try {
            return JSON.writeValueAsString(login);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> pool(int size, java.util.function.Supplier<String> next) {
        List<String> pool = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            pool.add(next.get());
        }
        return pool;
    }
}
