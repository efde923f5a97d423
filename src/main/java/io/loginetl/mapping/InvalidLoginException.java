package io.loginetl.mapping;

/**
 * A message that can never become a row. Its message is the dead letter's {@code error_reason}, so it must
 * never quote an ip, a device id or the body.
 */
public class InvalidLoginException extends RuntimeException {

    public InvalidLoginException(String reason) {
        super(reason, null, false, false);
    }
}
