package io.loginetl.mapping;

import java.util.List;

/**
 * Messages built to make a naive pipeline allocate, compute or loop without end, each with what must become of it:
 * the dead-letter reason, or null for a row. Used by the unit tests of the ingest steps and by the integration test
 * that sends them through the jar.
 */
public final class HostileCorpus {

    /** One hostile kind: a name for reports, the body, the reason its dead letter carries (null: it is a row). */
    public record Kind(String name, String body, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String PARSER_LIMITS = "not JSON: beyond the parser's limits (depth, length of a number, name or string, tokens)";
    private static final String NOT_AN_OBJECT = "not a login event: the JSON is not an object";

    private HostileCorpus() {
    }

    /** The kinds; user ids start with {@code prefix} so a test can tell its rows apart. */
    public static List<Kind> kinds(String prefix) {
        String u = "\"user_id\":\"" + prefix;
        String longName = "k".repeat(1_000);
        return List.of(
                new Kind("an exponent of a billion as the version", "{" + u + "-1\",\"app_version\":1e1000000000}",
                        "app_version is a number too large or too long to be a version"),
                new Kind("a negative exponent of a billion", "{" + u + "-2\",\"app_version\":1e-1000000000}",
                        "app_version is a number too large or too long to be a version"),
                new Kind("an exponent beyond an int, short enough for the length limit",
                        "{" + u + "-24\",\"x\":-1e-1000000000273}", "not JSON: a number beyond the parser's limits (its exponent)"),
                new Kind("a 5,000-digit number", "{" + u + "-3\",\"app_version\":" + "9".repeat(5_000) + "}", PARSER_LIMITS),
                new Kind("a 200,000-digit version string", "{" + u + "-4\",\"app_version\":\"" + "9".repeat(200_000) + "\"}",
                        "app_version is longer than the 64 characters a version can have"),
                new Kind("an exponent of a billion in a field nobody reads", "{" + u + "-5\",\"x\":1e1000000000}", null),
                new Kind("a 200,000-character ip", "{" + u + "-6\",\"ip\":\"" + "1".repeat(200_000) + "\"}",
                        "ip is longer than the 64 characters login-etl keeps for it"),
                new Kind("a 300-character device id", "{" + u + "-7\",\"device_id\":\"" + "d".repeat(300) + "\"}",
                        "device_id is longer than the 256 characters login-etl keeps for it"),
                new Kind("a body over message.max-bytes", "{" + u + "-8\",\"pad\":\"" + "p".repeat(300_000) + "\"}",
                        "the body is larger than message.max-bytes (262144 bytes)"),
                new Kind("nesting 10,000 deep", "{" + u + "-9\",\"d\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}", PARSER_LIMITS),
                new Kind("long names over a wide array (a flattening bomb)",
                        "{" + u + "-10\",\"" + longName + "\":{\"" + longName + "\":[" + "0,".repeat(50_000) + "0]}}",
                        "the JSON nests a field under a path longer than 1024 characters"),
                new Kind("100,000 values (tokens)", "{" + u + "-11\",\"a\":[" + "0,".repeat(100_000) + "0]}", PARSER_LIMITS),
                new Kind("20,000 fields once flattened", "{" + u + "-12\",\"a\":[" + "0,".repeat(20_000) + "0]}",
                        "the JSON has more than 1000 values (fields and array elements)"),
                new Kind("a long name over 40,000 empty arrays (keys built for values that are not there)",
                        "{" + u + "-23\",\"" + "\u0101".repeat(1_018) + "\":[" + "[],".repeat(40_000) + "[]]}",
                        "the JSON has more than 1000 values (fields and array elements)"),
                new Kind("a 2,000-character field name", "{" + u + "-13\",\"" + "n".repeat(2_000) + "\":1}", PARSER_LIMITS),
                new Kind("JSON null", "null", NOT_AN_OBJECT),
                new Kind("a bare number", "12345", NOT_AN_OBJECT),
                new Kind("a bare string", "\"199.172.111.135\"", NOT_AN_OBJECT),
                new Kind("a lone high surrogate in the ip", "{" + u + "-14\",\"ip\":\"10.0.0.1\\ud800\"}",
                        "ip contains a lone UTF-16 surrogate, which is not text"),
                new Kind("a lone low surrogate in the user id", "{" + u + "-15\\udc00\"}",
                        "user_id contains a lone UTF-16 surrogate, which is not text"),
                new Kind("a NUL in the locale", "{" + u + "-16\",\"locale\":\"R\\u0000U\"}",
                        "locale contains a NUL character, which PostgreSQL text cannot store"),
                new Kind("a field given twice", "{" + u + "-17\",\"ip\":\"10.0.0.1\",\"ip\":\"10.0.0.2\"}",
                        "not JSON: a field is given twice at line 1, column " + (38 + prefix.length())),
                new Kind("two documents in one body", "{" + u + "-18\"}{" + u + "-19\"}",
                        "not JSON: more than one value in the body at line 1, column " + (18 + prefix.length())),
                new Kind("a version of NaN", "{" + u + "-20\",\"app_version\":NaN}",
                        "not JSON: syntax error at line 1, column " + (35 + prefix.length())),
                new Kind("a version of Infinity as a string", "{" + u + "-21\",\"app_version\":\"Infinity\"}",
                        "app_version is not a version of the form MAJOR[.MINOR[.PATCH]]"),
                new Kind("a pair outside the BMP, written as escapes", "{" + u + "-22\",\"device_type\":\"\\ud83d\\ude00\"}", null));
    }
}
