package io.loginetl.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class DeadLetterFitTest {

    private static final int QUEUE_MAX = 1_048_576;

    @Test
    void aBodyThatFitsWithItsAttributesGoesOnAsItCame() {
        String body = "{\"user_id\":\"u\",\"pad\":\"" + "p".repeat(500_000) + "\"}";
        Exchange exchange = deadLetter(body);

        new DeadLetterFit(QUEUE_MAX).fit(exchange);

        assertSame(body, exchange.getMessage().getBody());
        assertEquals("the body is larger than message.max-bytes (262144 bytes)", exchange.getMessage().getHeader(ErrorHandling.ERROR_REASON));
    }

    @Test
    void aBodyAsLargeAsTheQueueTakesIsCutSoThatBodyAndAttributesFitAndTheReasonSaysSo() {
        // 3-byte characters, so a cut in the middle of one would show
        String body = "\u20ac".repeat(QUEUE_MAX / 3);
        Exchange exchange = deadLetter(body);

        new DeadLetterFit(QUEUE_MAX).fit(exchange);

        String cut = exchange.getMessage().getBody(String.class);
        String reason = exchange.getMessage().getHeader(ErrorHandling.ERROR_REASON, String.class);
        String id = exchange.getMessage().getHeader(ErrorHandling.SOURCE_MESSAGE_ID, String.class);
        long size = bytes(cut) + bytes(ErrorHandling.ERROR_REASON) + bytes(reason) + bytes(ErrorHandling.SOURCE_MESSAGE_ID)
                + bytes(id) + 2 * "String".length();
        assertTrue(size <= QUEUE_MAX, size + " bytes");
        assertTrue(body.startsWith(cut));
        assertTrue(cut.length() > QUEUE_MAX / 3 - 200, "cut more than needed: " + cut.length());
        assertEquals("the body is larger than message.max-bytes (262144 bytes); the body is cut to its first "
                + bytes(cut) + " of " + bytes(body) + " bytes to fit the dead-letter queue", reason);
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        assertEquals("a", DeadLetterFit.prefix("a\uD83D\uDE00", 4));
        assertEquals("a\uD83D\uDE00", DeadLetterFit.prefix("a\uD83D\uDE00b", 5));
    }

    private static Exchange deadLetter(String body) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(ErrorHandling.ERROR_REASON, "the body is larger than message.max-bytes (262144 bytes)");
        exchange.getMessage().setHeader(ErrorHandling.SOURCE_MESSAGE_ID, "0f2d4c8e-5a7b-4e1c-9d3f-2b6a8c0e4f17");
        return exchange;
    }

    private static long bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
