package io.loginetl.mapping;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Turns the exception that stopped a message into the dead letter's {@code error_reason}. Only our own
 * {@link InvalidLoginException} messages are quoted; third-party messages can quote the input (Jackson names
 * the token it choked on), so for those only the kind and position are kept.
 */
public final class DeadLetterReason {

    private DeadLetterReason() {
    }

    public static String of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidLoginException) {
                return t.getMessage();
            }
            if (t instanceof MismatchedInputException p) {
                // the route reads any JSON value, so the one mismatch left is a second value after the first
                return p.getOriginalMessage().startsWith("Trailing token")
                        ? "not JSON: more than one value in the body" + at(p.getLocation())
                        : "not a login event: the JSON is not an object";
            }
            if (t instanceof StreamConstraintsException) {
                return "not JSON: beyond the parser's limits (depth, length of a number, name or string, tokens)";
            }
            if (t instanceof JsonEOFException p) {
                return "not JSON: truncated" + at(p.getLocation());
            }
            if (t instanceof JsonParseException p) {
                // a field given twice is ambiguous (which ip?): refused, as strict parsers do
                return (p.getOriginalMessage().startsWith("Duplicate field") ? "not JSON: a field is given twice"
                        : "not JSON: syntax error") + at(p.getLocation());
            }
            if (t instanceof JsonProcessingException p) {
                return "not JSON: " + p.getClass().getSimpleName() + at(p.getLocation());
            }
        }
        return failure == null ? "unknown failure" : "unexpected failure: " + failure.getClass().getName();
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
