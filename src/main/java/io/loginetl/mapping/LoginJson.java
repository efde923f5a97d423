package io.loginetl.mapping;

import java.io.InputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.camel.Exchange;
import org.apache.camel.component.jackson.JacksonDataFormat;

/**
 * How a message body is read as JSON: camel-jackson with limits on everything a body can make the parser build
 * (nesting, number and name lengths, tokens), strict about what a lenient parser would guess at (a field given
 * twice, anything after the document). The route unmarshals with {@link #dataFormat()}, and so do the fuzz tests. A body beyond a limit fails with Jackson's
 * {@code StreamConstraintsException}, which {@link DeadLetterReason} names without quoting the input.
 * <p>
 * It is a data format of its own (bound by name), never an {@code ObjectMapper} bean: camel-jackson adopts a
 * lone {@code ObjectMapper} it finds in the registry, and an estate that embeds the routes must keep its own.
 */
public final class LoginJson {

    /** Deeper than any login needs; the flattener caps the dotted keys this makes anyway. */
    public static final int MAX_NESTING_DEPTH = 256;
    /** Digits (and sign, point, exponent) of one number: a version needs a handful. */
    public static final int MAX_NUMBER_LENGTH = 100;
    /** Characters of one field name. */
    public static final int MAX_NAME_LENGTH = 1_024;
    /** Tokens of one body; a body of the largest size allowed has fewer unless it is all punctuation. */
    public static final long MAX_TOKENS = 100_000;

    private LoginJson() {
    }

    public static ObjectMapper objectMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .maxTokenCount(MAX_TOKENS)
                        // the body's own size is checked before parsing (MessageSizeLimit); this is the backstop
                        .maxStringLength(MessageSizeLimit.SQS_MAX_BYTES)
                        .maxDocumentLength(MessageSizeLimit.SQS_MAX_BYTES)
                        .build())
                .build();
        return JsonMapper.builder(factory)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // a version written as a number (3.7) is read exactly, never as a binary double
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
    }

    /**
     * The route's unmarshal step: any JSON value (the flattener refuses what is not an object). A number whose
     * exponent does not fit an {@code int} ({@code 1e-1000000000273}: short enough for the length limit) makes
     * Jackson throw a bare {@link NumberFormatException}; it is bad input like any other, so it is named as such.
     */
    public static JacksonDataFormat dataFormat() {
        JacksonDataFormat format = new JacksonDataFormat(objectMapper(), Object.class) {
            @Override
            public Object unmarshal(Exchange exchange, Object body) throws Exception {
                try {
                    return super.unmarshal(exchange, body);
                } catch (NumberFormatException e) {
                    throw new InvalidLoginException(NUMBER_BEYOND_LIMITS);
                }
            }

            @Override
            public Object unmarshal(Exchange exchange, InputStream stream) throws Exception {
                try {
                    return super.unmarshal(exchange, stream);
                } catch (NumberFormatException e) {
                    throw new InvalidLoginException(NUMBER_BEYOND_LIMITS);
                }
            }
        };
        format.setUseDefaultObjectMapper(false);
        return format;
    }

    static final String NUMBER_BEYOND_LIMITS = "not JSON: a number beyond the parser's limits (its exponent)";
}
