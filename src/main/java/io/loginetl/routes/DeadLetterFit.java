package io.loginetl.routes;

import java.util.Map;

import io.loginetl.mapping.MessageSizeLimit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Makes a dead letter fit the dead-letter queue. SQS counts a message's attributes (name, type and value) in its
 * size, so a body as large as the source queue allows, sent on with {@code error_reason} and
 * {@code source_message_id}, can be too large for a dead-letter queue of the same maximum; the send would fail
 * each time and the message would come back forever. Such a body is cut (at a character boundary) to what fits,
 * and its reason says so. Any smaller body goes on as it came.
 */
public final class DeadLetterFit {

    /** Room kept for what the reason gains when a body is cut. */
    private static final int NOTE_BYTES = 128;
    /** The data type SQS records for a text attribute, which counts too. */
    private static final int STRING_TYPE_BYTES = "String".length();

    private final int maxBytes;

    /** @param maxBytes the dead-letter queue's {@code MaximumMessageSize} */
    public DeadLetterFit(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Cuts the body of the dead letter in hand if, with its attributes, it is larger than the queue takes. */
    public void fit(Exchange exchange) {
        Message message = exchange.getMessage();
        String body = message.getBody(String.class);
        if (body == null) {
            return;
        }
        long attributes = NOTE_BYTES;
        for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
            attributes += utf8(header.getKey()) + STRING_TYPE_BYTES + utf8(String.valueOf(header.getValue()));
        }
        long bodyBytes = utf8(body);
        if (bodyBytes + attributes <= maxBytes) {
            return;
        }
        String cut = prefix(body, Math.max(0, maxBytes - attributes));
        message.setBody(cut);
        String reason = message.getHeader(ErrorHandling.ERROR_REASON, String.class);
        message.setHeader(ErrorHandling.ERROR_REASON, reason + "; the body is cut to its first "
                + utf8(cut) + " of " + bodyBytes + " bytes to fit the dead-letter queue");
    }

    /** The longest prefix of {@code s} whose UTF-8 form has at most {@code bytes} bytes, never half a pair. */
    static String prefix(String s, long bytes) {
        long used = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (used + size > bytes) {
                break;
            }
            used += size;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    private static long utf8(String s) {
        return MessageSizeLimit.utf8Length(s, Long.MAX_VALUE);
    }
}
