package io.loginetl.mapping;

import java.lang.management.ManagementFactory;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.loginetl.db.UserLoginsTable;
import io.loginetl.masking.PiiMasker;
import io.loginetl.vault.VaultKeys;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * The pure half of the ingest route, step for step as {@code routes/ingest.camel.yaml} runs it: the size limit, the
 * route's JSON mapper reading the body as camel-jackson does, the flattener, the mapper (for a table), the masker (with a
 * vault). What it returns is what the route would aggregate; what it throws is what the route's error handler sees.
 */
final class IngestChain {

    static final int MAX_BYTES = 262_144;
    private static final JacksonDataFormat JSON = LoginJson.dataFormat();
    private static final CamelContext CONTEXT = new DefaultCamelContext();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** The three kinds of table users have: the DDL's, app_version varchar, every column unlimited text. */
    static final LoginMapper INTEGER_TABLE = new LoginMapper(new UserLoginsTable(Map.of(
            "user_id", 128, "device_type", 32, "masked_ip", 256, "masked_device_id", 256, "locale", 32), "integer"));
    static final LoginMapper VARCHAR_TABLE = new LoginMapper(new UserLoginsTable(Map.of(
            "user_id", 128, "device_type", 32, "masked_ip", 256, "masked_device_id", 256, "locale", 32,
            "app_version", 32), "varchar"));
    static final LoginMapper TEXT_TABLE = new LoginMapper(new UserLoginsTable(Map.of(), "text"));

    static final PiiMasker MASKER = new PiiMasker(Base64.getDecoder().decode("jQfwq9L7zcA0dFN8BEcZ/BNAFc0flArLvMSI/sd6x0g="),
            VaultKeys.parse("546Y9SadCMsl/XzZSSqo7MnxLEUfUJcK2JAxt1HRqJ4="));
    private static final MessageSizeLimit SIZE = new MessageSizeLimit(MAX_BYTES);
    private static final JsonFlattener FLATTENER = new JsonFlattener();

    /** A message's end: a row (masked), or the dead letter's reason. */
    record Outcome(Map<String, Object> row, String deadLetterReason, long allocatedBytes) {
        boolean isRow() {
            return row != null;
        }
    }

    private IngestChain() {
    }

    /**
     * Runs one body through every step. Fails (AssertionError) if a step throws anything the route would not
     * classify as bad input: only {@link InvalidLoginException} and Jackson's parse errors are.
     */
    static Outcome run(String body, LoginMapper mapper) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            SIZE.check(body);
            // the route's data format, given a String body as the SQS consumer gives it
            Object json = JSON.unmarshal(new DefaultExchange(CONTEXT), body);
            Map<String, Object> row = mapper.toRow(FLATTENER.flatten(json), "1700000000000", "m-1", "rh-1");
            MASKER.maskRow(row);
            return new Outcome(row, null, THREADS.getCurrentThreadAllocatedBytes() - before);
        } catch (InvalidLoginException | JsonProcessingException e) {
            String reason = DeadLetterReason.of(e);
            if (reason.startsWith("unexpected failure")) {
                throw new AssertionError("an unclassified failure: " + reason, e);
            }
            return new Outcome(null, reason, THREADS.getCurrentThreadAllocatedBytes() - before);
        } catch (Exception | StackOverflowError e) {
            throw new AssertionError("the ingest steps threw " + e.getClass().getName() + ", not an invalid-input type", e);
        }
    }

    /** The most one message may make the steps allocate: a few buffers plus a small multiple of its size. */
    static long allocationBound(String body) {
        return 4L * 1024 * 1024 + 40L * body.length();
    }
}
