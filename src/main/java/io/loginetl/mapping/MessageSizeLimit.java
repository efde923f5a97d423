package io.loginetl.mapping;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The first step of the route: a body larger than {@code message.max-bytes} (UTF-8) is refused before anything
 * parses it, so no single message can make the pipeline build more than a bounded amount. Counting costs one pass
 * over the characters and allocates nothing.
 */
public final class MessageSizeLimit implements Processor {

    /** Exchange property: the body's UTF-8 bytes, as counted here (the batch sums it rather than counting again). */
    public static final String BODY_BYTES = "loginEtlBodyBytes";

    /** The largest message SQS accepts (1 MiB since 2025); the parser's own backstop. */
    public static final int SQS_MAX_BYTES = 1_048_576;

    private final int maxBytes;

    public MessageSizeLimit(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("message.max-bytes must be positive");
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(BODY_BYTES, check(exchange.getMessage().getBody(String.class)));
    }

    /** Refuses a body over the limit; returns its UTF-8 bytes (0 for null, an empty message left to the parser). */
    public long check(String body) {
        long bytes = body == null ? 0 : utf8Length(body, maxBytes);
        if (bytes > maxBytes) {
            throw new InvalidLoginException("the body is larger than message.max-bytes (" + maxBytes + " bytes)");
        }
        return bytes;
    }

    /** UTF-8 length of {@code s}, counted until it passes {@code stopAbove} (then any larger number). */
    public static long utf8Length(CharSequence s, long stopAbove) {
        long bytes = 0;
        for (int i = 0, n = s.length(); i < n && bytes <= stopAbove; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
