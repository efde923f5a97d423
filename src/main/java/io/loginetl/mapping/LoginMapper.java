package io.loginetl.mapping;

import java.math.BigDecimal;
import java.math.BigInteger;
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
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a flattened login message onto the columns of {@code user_logins}, checking every value against the
 * column it is going to (types and lengths as read from the database at startup). A message that cannot become
 * a row fails with an {@link InvalidLoginException} whose text names the field, never its value.
 * <p>
 * The row still holds the raw {@code ip} and {@code device_id}; the masking step replaces them.
 * <p>
 * Every text is bounded (its column's declared length, or {@value #MAX_TEXT_LENGTH} characters where the column has
 * none; {@value #MAX_IP_LENGTH} for an ip, {@value #MAX_DEVICE_ID_LENGTH} for a device id, which only the vault
 * keeps) and must be text PostgreSQL can store: no NUL character, no lone UTF-16 surrogate (it would reach the
 * database and the mask as "?", so two different values would share a mask). A version sent as a number is sized
 * before it is ever written out, so an exponent of a billion costs nothing.
 */
public final class LoginMapper implements Processor {

    /** Key of the row's SQS send time (epoch millis, a Long; absent when SQS gave none): for the latency metric. */
    public static final String SENT_AT = "sqs_sent_at";
    /** The longest ip kept: an IPv6 text is at most 45 characters, a zone id adds a few. */
    public static final int MAX_IP_LENGTH = 64;
    public static final int MAX_DEVICE_ID_LENGTH = 256;
    /** The longest text written to a column that declares no length (text, or varchar without one). */
    public static final int MAX_TEXT_LENGTH = 1_024;
    /** The longest app_version read for an integer column (which takes at most 13), and the longest a number may be written out to. */
    public static final int MAX_VERSION_LENGTH = 64;
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
        Map<String, Object> row = toRow(message.getMandatoryBody(Map.class), sentTimestamp(message),
                message.getHeader(Sqs2Constants.MESSAGE_ID, String.class),
                message.getHeader(Sqs2Constants.RECEIPT_HANDLE, String.class));
        // the body as received, in case the database refuses the row and it must be dead-lettered for replay
        row.put("sqs_body", exchange.getUnitOfWork().getOriginalInMessage().getBody(String.class));
        message.setBody(row);
    }

    /**
     * SentTimestamp as SQS gave it: from the system attributes, never from a header of that name, which a producer can
     * set as a message attribute of its own.
     */
    private static String sentTimestamp(Message message) {
        Map<?, ?> attributes = message.getHeader(Sqs2Constants.ATTRIBUTES, Map.class);
        Object sent = attributes == null ? null : attributes.get(MessageSystemAttributeName.SENT_TIMESTAMP);
        return sent == null ? null : sent.toString();
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
        Long sentAt = epochMillis(sentTimestamp);
        row.put("create_date", sentDate(sentAt));
        row.put("sqs_message_id", messageId);
        row.put("sqs_receipt_handle", receiptHandle);
        if (sentAt != null) {
            row.put(SENT_AT, sentAt);
        }
        return row;
    }

    /** A string field; {@code column} names the column whose length limits it (null: it is masked, not written). */
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
        } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            version = value.toString();
        } else if (value instanceof Number n) {
            BigDecimal d = decimal(n);
            if (d == null || plainLength(d) > MAX_VERSION_LENGTH) {
                throw new InvalidLoginException("app_version is a number too large or too long to be a version");
            }
            version = d.toPlainString();
        } else {
            throw new InvalidLoginException("app_version must be a string or a number, not a " + jsonType(value));
        }
        if (table.appVersionIsText()) {
            return checked("app_version", version, "app_version");
        }
        if (version.length() > MAX_VERSION_LENGTH) {
            throw new InvalidLoginException("app_version is longer than the " + MAX_VERSION_LENGTH + " characters a version can have");
        }
        return AppVersion.encode(version);
    }

    /** A JSON number that is not an integer: exact when read as BigDecimal (the route's mapper does), else null if not finite. */
    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        double v = n.doubleValue();
        return Double.isFinite(v) ? BigDecimal.valueOf(v) : null;
    }

    /** Characters of {@code d.toPlainString()}, computed without making it (the exponent can be in the billions). */
    static long plainLength(BigDecimal d) {
        long digits = d.precision();
        long scale = d.scale();
        long length = scale <= 0 ? digits - scale : Math.max(digits, scale + 1) + 1;
        return length + (d.signum() < 0 ? 1 : 0);
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

    /**
     * The value, if PostgreSQL can store it and it fits: at most {@code max} code points, no NUL, no lone surrogate.
     * One pass, stopped as soon as the value is known to be too long.
     */
    private String checked(String field, String value, String column) {
        int max = maxLength(field, column);
        String tooLong = column == null
                ? field + " is longer than the " + max + " characters login-etl keeps for it"
                : field + " is longer than the " + max + " characters of user_logins." + column;
        if (value.length() > 2L * max) {
            throw new InvalidLoginException(tooLong); // even all surrogate pairs would be more than max code points
        }
        int codePoints = 0;
        for (int i = 0, n = value.length(); i < n; i++, codePoints++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                throw new InvalidLoginException(field + " contains a NUL character, which PostgreSQL text cannot store");
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidLoginException(field + " contains a lone UTF-16 surrogate, which is not text");
            }
        }
        if (codePoints > max) {
            throw new InvalidLoginException(tooLong);
        }
        return value;
    }

    private int maxLength(String field, String column) {
        if (column == null) {
            return field.equals("ip") ? MAX_IP_LENGTH : MAX_DEVICE_ID_LENGTH;
        }
        Integer declared = table.maxLength(column);
        return declared == null ? MAX_TEXT_LENGTH : declared;
    }

    /** SentTimestamp in epoch millis, or null when SQS gave none (or something that is not a time). */
    private static Long epochMillis(String sentTimestamp) {
        if (sentTimestamp == null) {
            return null;
        }
        try {
            return Long.parseLong(sentTimestamp); // any long is a date LocalDate can hold
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private LocalDate sentDate(Long sentTimestamp) {
        if (sentTimestamp == null) {
            if (warnedNoSentTimestamp.compareAndSet(false, true)) {
                LOG.warn("messages arrive without SentTimestamp, so create_date is the processing date; "
                        + "give the aws2-sqs consumer attributeNames: SentTimestamp");
            }
            return LocalDate.now(ZoneOffset.UTC);
        }
        return Instant.ofEpochMilli(sentTimestamp).atZone(ZoneOffset.UTC).toLocalDate();
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
