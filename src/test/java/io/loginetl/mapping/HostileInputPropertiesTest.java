package io.loginetl.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzing of the ingest steps ({@link IngestChain}: size limit, the route's JSON mapper, flattener, mapper, masker)
 * with generated input: arbitrary JSON values, arbitrary bytes, and valid logins mutated. Whatever comes in, each
 * step ends in a row or in a dead letter whose reason is one of the project's own (so it quotes no input), never in
 * another exception, and no message allocates more than {@link IngestChain#allocationBound}.
 */
class HostileInputPropertiesTest {

    /** Every dead-letter reason the ingest steps can give: fixed words, field names, limits and positions only. */
    private static final Pattern REASONS = Pattern.compile(String.join("|",
            "not JSON: (syntax error|truncated|a field is given twice|more than one value in the body"
                    + "|beyond the parser's limits \\(depth, length of a number, name or string, tokens\\)"
                    + "|a number beyond the parser's limits \\(its exponent\\)|[A-Za-z]+)( at line \\d+, column \\d+)?",
            "not a login event: (no user_id|the JSON is not an object)",
            "user_id is empty",
            "(user_id|device_type|ip|device_id|locale|app_version) ("
                    + "is longer than the \\d+ characters (of user_logins\\.[a-z_]+|login-etl keeps for it|a version can have)"
                    + "|contains a NUL character, which PostgreSQL text cannot store"
                    + "|contains a lone UTF-16 surrogate, which is not text"
                    + "|must be a single value, not a JSON object or array"
                    + "|must be a string, not a (boolean|number)"
                    + "|must be a string or a number, not a boolean)",
            "app_version (is a number too large or too long to be a version"
                    + "|is not a version of the form MAJOR\\[\\.MINOR\\[\\.PATCH]]"
                    + "|minor and patch must be below 1000 to fit the integer column"
                    + "|is too large for the integer column \\(the highest is 2147\\.483\\.647\\))",
            "the body is larger than message\\.max-bytes \\(\\d+ bytes\\)",
            "the JSON has more than \\d+ values \\(fields and array elements\\)",
            "the JSON nests a field under a path longer than \\d+ characters"));

    private static final List<String> FIELDS = List.of("user_id", "device_type", "ip", "device_id", "locale", "app_version");
    private static final ObjectMapper WRITER = new ObjectMapper();
    private static final ObjectMapper ESCAPING_WRITER = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    /** What a mutation inserts: structure, escapes the database or the mask cannot take, numbers past every limit. */
    private static final List<String> TOKENS = List.of("{", "}", "[", "]", "\"", ",", ":", "\\", "\\u0000", "\\ud800",
            "\\udc00", "1e1000000000", "-1e-1000000000", "9".repeat(200), "null", "true", "NaN", "{\"ip\":\"x\"}",
            "[[[[[[[[", "\u00e9", "\uD83D\uDE00", "\"user_id\":\"dup\",", " ", "\u2028", "0x1F", "1.0e+309");

    @Property(tries = 400)
    void anyJsonValueEndsAsARowOrADeadLetterWithAReasonOfOurOwn(@ForAll("jsonBodies") String body) {
        assertEndsWell(body);
    }

    @Property(tries = 400)
    void anyBytesEndAsARowOrADeadLetterWithAReasonOfOurOwn(@ForAll @Size(max = 2_000) byte[] bytes) {
        assertEndsWell(new String(bytes, StandardCharsets.UTF_8));
    }

    @Property(tries = 1_000)
    void anyMutationOfAValidLoginEndsAsARowOrADeadLetterWithAReasonOfOurOwn(@ForAll("mutatedLogins") String body) {
        assertEndsWell(body);
    }

    @Property(tries = 300)
    void aValidLoginBecomesARowOfExactlyItsValuesWithIpAndDeviceIdMasked(@ForAll("validLogins") Map<String, Object> login)
            throws JsonProcessingException {
        String body = WRITER.writeValueAsString(login);
        for (LoginMapper table : List.of(IngestChain.INTEGER_TABLE, IngestChain.VARCHAR_TABLE, IngestChain.TEXT_TABLE)) {
            IngestChain.Outcome outcome = IngestChain.run(body, table);

            assertTrue(outcome.isRow(), outcome.deadLetterReason());
            Map<String, Object> row = outcome.row();
            for (String field : List.of("user_id", "device_type", "locale")) {
                assertEquals(escaped(login.get(field)), escaped(row.get(field)), field);
            }
            assertEquals(IngestChain.MASKER.maskIp((String) login.get("ip")), row.get("masked_ip"));
            assertEquals(IngestChain.MASKER.maskDeviceId((String) login.get("device_id")), row.get("masked_device_id"));
            assertFalse(row.containsKey("ip") || row.containsKey("device_id"), "a raw value is left in the row");
            Object expectedVersion = table == IngestChain.INTEGER_TABLE
                    ? AppVersion.encode((String) login.get("app_version")) : login.get("app_version");
            assertEquals(expectedVersion, row.get("app_version"));
        }
    }

    /** A value in a form any report can print (jqwik's reports cut at control characters). */
    private static String escaped(Object value) {
        if (value == null) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        value.toString().chars().forEach(c -> s.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return s.toString();
    }

    /** Through every kind of table: a row or a reason of ours, within the allocation bound, and no raw value left. */
    private static void assertEndsWell(String body) {
        for (LoginMapper table : List.of(IngestChain.INTEGER_TABLE, IngestChain.VARCHAR_TABLE, IngestChain.TEXT_TABLE)) {
            IngestChain.Outcome outcome = IngestChain.run(body, table);
            assertTrue(outcome.allocatedBytes() < IngestChain.allocationBound(body),
                    "allocated " + outcome.allocatedBytes() + " bytes for a body of " + body.length() + " characters");
            if (outcome.isRow()) {
                assertNull(outcome.row().get("ip"));
                assertNull(outcome.row().get("device_id"));
                assertTrue(outcome.row().get("user_id") instanceof String s && !s.isBlank());
            } else {
                assertTrue(REASONS.matcher(outcome.deadLetterReason()).matches(), "a reason not of ours: " + outcome.deadLetterReason());
            }
        }
    }

    @Provide
    Arbitrary<String> jsonBodies() {
        Arbitrary<Object> top = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, loginLike(3)),
                net.jqwik.api.Tuple.of(1, jsonValue(3)));
        return Combinators.combine(top, Arbitraries.of(WRITER, ESCAPING_WRITER)).as((value, writer) -> {
            try {
                return writer.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Provide
    Arbitrary<String> mutatedLogins() {
        Arbitrary<String> valid = validLogins().map(login -> {
            try {
                return WRITER.writeValueAsString(login);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
        Arbitrary<int[]> mutation = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, TOKENS.size() - 1)).as((kind, at, length, token) -> new int[] {kind, at, length, token});
        return Combinators.combine(valid, mutation.list().ofMinSize(1).ofMaxSize(4)).as(HostileInputPropertiesTest::mutate);
    }

    private static String mutate(String body, List<int[]> mutations) {
        StringBuilder s = new StringBuilder(body);
        for (int[] m : mutations) {
            int at = m[1] % (s.length() + 1);
            int end = Math.min(s.length(), at + m[2]);
            switch (m[0]) {
                case 0 -> s.insert(at, TOKENS.get(m[3]));
                case 1 -> s.delete(at, end);
                case 2 -> s.insert(at, s.substring(at, end));
                default -> s.replace(at, end, TOKENS.get(m[3]));
            }
        }
        return s.toString();
    }

    @Provide
    Arbitrary<Map<String, Object>> validLogins() {
        // any character but NUL and surrogates, plus a character outside the BMP (a surrogate pair) in place of '§'
        net.jqwik.api.arbitraries.StringArbitrary text = Arbitraries.strings().withCharRange('\u0001', '\ud7ff').withChars('\u00a7');
        Arbitrary<String> version = Combinators.combine(Arbitraries.integers().between(0, 2146),
                Arbitraries.integers().between(0, 999), Arbitraries.integers().between(0, 999)).as((a, b, c) -> a + "." + b + "." + c);
        return Combinators.combine(text.ofMinLength(1).ofMaxLength(120).filter(s -> !s.isBlank()), text.ofMaxLength(30),
                text.ofMaxLength(60), text.ofMaxLength(250), text.ofMaxLength(30), version).as((user, type, ip, device, locale, v) -> {
                    Map<String, Object> login = new LinkedHashMap<>();
                    login.put("user_id", emoji(user));
                    login.put("device_type", emoji(type));
                    login.put("ip", emoji(ip));
                    login.put("device_id", emoji(device));
                    login.put("locale", emoji(locale));
                    login.put("app_version", v);
                    return login;
                });
    }

    private static String emoji(String s) {
        return s.replace("\u00a7", "\uD83D\uDE00");
    }

    /** An object with a user id and some of the known fields, their values any JSON. */
    private Arbitrary<Object> loginLike(int depth) {
        return Combinators.combine(jsonString(), Arbitraries.maps(Arbitraries.of(FIELDS), jsonValue(depth)).ofMaxSize(6),
                Arbitraries.maps(key(), jsonValue(depth)).ofMaxSize(3)).as((user, known, other) -> {
                    Map<String, Object> login = new LinkedHashMap<>(other);
                    login.put("user_id", user);
                    login.putAll(known);
                    return login;
                });
    }

    private Arbitrary<Object> jsonValue(int depth) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(jsonString(), number(), Arbitraries.of(true, false), Arbitraries.just(null));
        if (depth == 0) {
            return scalar;
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, scalar),
                net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> jsonValue(depth - 1)).list().ofMaxSize(4).map(l -> (Object) l)),
                net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> Arbitraries.maps(key(), jsonValue(depth - 1)).ofMaxSize(4)).map(m -> (Object) m)));
    }

    private static Arbitrary<String> key() {
        return Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.of("ip.0", "user_id.x", "", "."),
                Arbitraries.strings().all().ofMaxLength(12));
    }

    private static Arbitrary<Object> jsonString() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().numeric().withChars('.').ofMaxLength(400),
                Arbitraries.of("2.3.0", "199.172.111.135", "593-47-5928", "", " ", "1.1000", "2147.483.648"));
    }

    private static Arbitrary<Object> number() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(60)).map(i -> (Object) i),
                Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(-2_000_000_000, 2_000_000_000))
                        .as((unscaled, scale) -> (Object) BigDecimal.valueOf(unscaled, scale)),
                Arbitraries.doubles().map(d -> (Object) d));
    }
}
