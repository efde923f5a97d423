package io.loginetl.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;

class DeadLetterReasonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void quotesOurOwnReasonsEvenWhenWrapped() {
        assertEquals("not a login event: no user_id",
                DeadLetterReason.of(new RuntimeCamelException(new InvalidLoginException("not a login event: no user_id"))));
    }

    @Test
    void invalidJsonKeepsPositionButNeverTheTokenItChokedOn() {
        Exception e = parse("{\"ip\": 199.172.111.135x}");
        String reason = DeadLetterReason.of(e);
        assertEquals("not JSON: syntax error at line 1, column 15", reason);
        assertFalse(e.getMessage().isEmpty());

        String tokenQuoted = DeadLetterReason.of(parse("secret-device-593-47-5928"));
        assertFalse(tokenQuoted.contains("593"), tokenQuoted);
        assertFalse(tokenQuoted.contains("secret"), tokenQuoted);
    }

    @Test
    void truncatedJsonSaysSo() {
        assertEquals("not JSON: truncated at line 1, column 23", DeadLetterReason.of(parse("{\"user_id\":\"u-x\",\"ip\":")));
    }

    @Test
    void jsonThatIsNotAnObjectIsNotALogin() {
        assertEquals("not a login event: the JSON is not an object", DeadLetterReason.of(parse("[1, 2]")));
    }

    @Test
    void unknownFailuresNameOnlyTheirClass() {
        assertEquals("unexpected failure: java.lang.IllegalStateException",
                DeadLetterReason.of(new IllegalStateException("device 593-47-5928")));
    }

    private static Exception parse(String body) {
        try {
            JSON.readValue(body, LinkedHashMap.class);
            throw new AssertionError("parsed: " + body);
        } catch (Exception e) {
            return e;
        }
    }
}
