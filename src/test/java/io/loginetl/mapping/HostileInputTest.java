package io.loginetl.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies built to make a naive parser or mapper allocate or compute without end, each through the route's steps
 * ({@link IngestChain}): each ends as the dead letter named, having allocated no more than a small bound (a
 * number written out in full, a quadratic flattening or a gigabyte string would allocate far more).
 */
class HostileInputTest {

    static Stream<Arguments> hostileBodies() {
        String longName = "k".repeat(1_000);
        return Stream.of(
                Arguments.of("an exponent of a billion as the version", "{\"user_id\":\"u\",\"app_version\":1e1000000000}",
                        "app_version is a number too large or too long to be a version"),
                Arguments.of("a negative exponent of a billion", "{\"user_id\":\"u\",\"app_version\":1e-1000000000}",
                        "app_version is a number too large or too long to be a version"),
                Arguments.of("a 5,000-digit number", "{\"user_id\":\"u\",\"app_version\":" + "9".repeat(5_000) + "}",
                        "not JSON: beyond the parser's limits (nesting depth, number or string length)"),
                Arguments.of("a 200,000-digit version string", "{\"user_id\":\"u\",\"app_version\":\"" + "9".repeat(200_000) + "\"}",
                        "app_version is longer than the 64 characters a version can have"),
                Arguments.of("an exponent as a field nobody reads", "{\"user_id\":\"u\",\"x\":1e1000000000}", null),
                Arguments.of("a 200,000-character ip", "{\"user_id\":\"u\",\"ip\":\"" + "1".repeat(200_000) + "\"}",
                        "ip is longer than the 64 characters login-etl keeps for it"),
                Arguments.of("a 300-character device id", "{\"user_id\":\"u\",\"device_id\":\"" + "d".repeat(300) + "\"}",
                        "device_id is longer than the 256 characters login-etl keeps for it"),
                Arguments.of("a body over the size limit", "{\"user_id\":\"u\",\"pad\":\"" + "p".repeat(300_000) + "\"}",
                        "the body is larger than message.max-bytes (262144 bytes)"),
                Arguments.of("nesting 10,000 deep", "{\"user_id\":\"u\",\"d\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}",
                        "not JSON: beyond the parser's limits (nesting depth, number or string length)"),
                Arguments.of("long names over a wide array (a flattening bomb)",
                        "{\"user_id\":\"u\",\"" + longName + "\":{\"" + longName + "\":[" + "0,".repeat(50_000) + "0]}}",
                        "the JSON nests a field under a path longer than 1024 characters"),
                Arguments.of("100,000 fields", "{\"user_id\":\"u\",\"a\":[" + "0,".repeat(100_000) + "0]}",
                        "not JSON: beyond the parser's limits (nesting depth, number or string length)"),
                Arguments.of("20,000 fields", "{\"user_id\":\"u\",\"a\":[" + "0,".repeat(20_000) + "0]}",
                        "the JSON has more than 1000 fields once flattened"),
                Arguments.of("a 2,000-character field name", "{\"user_id\":\"u\",\"" + "n".repeat(2_000) + "\":1}",
                        "not JSON: beyond the parser's limits (nesting depth, number or string length)"),
                Arguments.of("JSON null", "null", "not a login event: the JSON is not an object"),
                Arguments.of("a bare number", "12345", "not a login event: the JSON is not an object"),
                Arguments.of("a bare string", "\"199.172.111.135\"", "not a login event: the JSON is not an object"),
                Arguments.of("an empty body", "", "not a login event: the JSON is not an object"),
                Arguments.of("a lone surrogate in the ip", "{\"user_id\":\"u\",\"ip\":\"10.0.0.1\\ud800\"}",
                        "ip contains a lone UTF-16 surrogate, which is not text"),
                Arguments.of("a lone low surrogate in the user id", "{\"user_id\":\"u\\udc00\"}",
                        "user_id contains a lone UTF-16 surrogate, which is not text"),
                Arguments.of("a NUL in the locale", "{\"user_id\":\"u\",\"locale\":\"R\\u0000U\"}",
                        "locale contains a NUL character, which PostgreSQL text cannot store"),
                Arguments.of("a field given twice", "{\"user_id\":\"u\",\"ip\":\"10.0.0.1\",\"ip\":\"10.0.0.2\"}",
                        "not JSON: a field is given twice at line 1, column 36"),
                Arguments.of("two documents in one body", "{\"user_id\":\"u\"}{\"user_id\":\"v\"}",
                        "not JSON: more than one value in the body at line 1, column 16"),
                Arguments.of("a version of NaN", "{\"user_id\":\"u\",\"app_version\":NaN}",
                        "not JSON: syntax error at line 1, column 33"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void endsAsTheNamedDeadLetterWithinABoundedAllocation(String kind, String body, String reason) {
        IngestChain.Outcome outcome = IngestChain.run(body, IngestChain.INTEGER_TABLE);

        assertEquals(reason, outcome.deadLetterReason(), kind);
        assertTrue(outcome.allocatedBytes() < IngestChain.allocationBound(body),
                kind + ": allocated " + outcome.allocatedBytes() + " bytes for a body of " + body.length());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void endsTheSameWayForEveryKindOfTable(String kind, String body, String reason) {
        for (LoginMapper table : new LoginMapper[] {IngestChain.VARCHAR_TABLE, IngestChain.TEXT_TABLE}) {
            IngestChain.Outcome outcome = IngestChain.run(body, table);
            assertTrue(outcome.allocatedBytes() < IngestChain.allocationBound(body), kind);
            if (reason == null) {
                assertTrue(outcome.isRow(), kind + ": " + outcome.deadLetterReason());
            }
        }
    }
}
