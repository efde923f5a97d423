package io.loginetl.mapping;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.loginetl.db.UserLoginsTable;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a flattened login message onto the columns of {@code user_logins}, checking every value against the
 * column it is going to (types and lengths as read from the database at startup). A message that cannot become
 * a row fails with an {@link InvalidLoginException} whose text names the field, never its value.
 * <p>
 * The row still holds the raw {@code ip} and {@code device_id}; the masking step replaces them.
 */
public final class LoginMapper implements Processor {

    /** The SQS system attribute that dates a row; the consumer must ask for it ({@code attributeNames}). */
    public static final String SENT_TIMESTAMP = "SentTimestamp";
    /** Key of the row's SQS send time (epoch millis, a Long; absent when SQS gave none): for the latency metric. */
    public static final String SENT_AT = "sqs_sent_at";
    private static final Logger LOG = LoggerFactory.getLogger(LoginMapper.class);

    private final UserLoginsTable table;
    private final AtomicBoolean warnedNoSentTimestamp = new AtomicBoolean();

    public LoginMapper(UserLoginsTable table) {
        this.table = table;
    }

    /** Replaces the flattened body with the row, taking the SQS message id, receipt handle and send time. */
    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        Map<String, Object> row = toRow(message.getMandatoryBody(Map.class), message.getHeader(SENT_TIMESTAMP, String.class),
                message.getHeader(Sqs2Constants.MESSAGE_ID, String.class),
                message.getHeader(Sqs2Constants.RECEIPT_HANDLE, String.class));
        // the body as received, in case the database refuses the row and it must be dead-lettered for replay
        row.put("sqs_body", exchange.getUnitOfWork().getOriginalInMessage().getBody(String.class));
        message.setBody(row);
    }

    /**
     * @param flat          the message, flattened
     * @param sentTimestamp SQS {@code SentTimestamp} (epoch millis) that dates the row; when absent, today (UTC)
     * @param messageId     SQS message id, kept with the row for the writer
     * @param receiptHandle SQS receipt handle, so the writer can delete the message once its row is committed
     */
    public Map<String, Object> toRow(Map<String, Object> flat, String sentTimestamp, String messageId, String receiptHandle) {
        Map<String, Object> row = new LinkedHashMap<>();
        String userId = text(flat, "user_id", "user_id");
        if (userId == null) {
            throw new InvalidLoginException("not a login event: no user_id");
        }
        if (userId.isBlank()) {
            throw new InvalidLoginException("user_id is empty");
        }
        row.put("user_id", userId);
        row.put("device_type", text(flat, "device_type", "device_type"));
        row.put("ip", text(flat, "ip", null));
        row.put("device_id", text(flat, "device_id", null));
        row.put("locale", text(flat, "locale", "locale"));
        row.put("app_version", appVersion(flat));
        row.put("create_date", sentDate(sentTimestamp));
        row.put("sqs_message_id", messageId);
        row.put("sqs_receipt_handle", receiptHandle);
        if (sentTimestamp != null) {
            row.put(SENT_AT, Long.parseLong(sentTimestamp));
        }
        return row;
    }

    /** A string field; {@code column} names the column whose length limits it (null: no limit, it is masked). */
    private String text(Map<String, Object> flat, String field, String column) {
        Object value = flat.get(field);
        if (value == null) {
            rejectNested(flat, field);
            return null;
        }
        if (!(value instanceof String s)) {
            throw new InvalidLoginException(field + " must be a string, not a " + jsonType(value));
        }
        return checked(field, s, column);
    }

    private Object appVersion(Map<String, Object> flat) {
        Object value = flat.get("app_version");
        if (value == null) {
            rejectNested(flat, "app_version");
            return null;
        }
        String version;
        if (value instanceof String s) {
            version = s;
        } else if (value instanceof BigDecimal d) {
            version = d.toPlainString();
        } else if (value instanceof Number n) {
            version = n.toString();
        } else {
            throw new InvalidLoginException("app_version must be a string or a number, not a " + jsonType(value));
        }
        if (table.appVersionIsText()) {
            return checked("app_version", version, "app_version");
        }
        return AppVersion.encode(version);
    }

    /** A known field sent as an object or array was flattened into {@code field.*}: refuse it, never null it. */
    private static void rejectNested(Map<String, Object> flat, String field) {
        String prefix = field + ".";
        for (String key : flat.keySet()) {
            if (key.startsWith(prefix)) {
                throw new InvalidLoginException(field + " must be a single value, not a JSON object or array");
            }
        }
    }

    private String checked(String field, String value, String column) {
        if (value.indexOf('\u0000') >= 0) {
            throw new InvalidLoginException(field + " contains a NUL character, which PostgreSQL text cannot store");
        }
        Integer max = column == null ? null : table.maxLength(column);
        if (max != null && value.codePointCount(0, value.length()) > max) {
            throw new InvalidLoginException(field + " is longer than the " + max + " characters of user_logins." + column);
        }
        return value;
    }

    private LocalDate sentDate(String sentTimestamp) {
        if (sentTimestamp == null) {
            if (warnedNoSentTimestamp.compareAndSet(false, true)) {
                LOG.warn("messages arrive without SentTimestamp, so create_date is the processing date; "
                        + "give the aws2-sqs consumer attributeNames: SentTimestamp");
            }
            return LocalDate.now(ZoneOffset.UTC);
        }
        return Instant.ofEpochMilli(Long.parseLong(sentTimestamp)).atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static String jsonType(Object value) {
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof Number) {
            return "number";
        }
        return "JSON " + value.getClass().getSimpleName();
    }
}
