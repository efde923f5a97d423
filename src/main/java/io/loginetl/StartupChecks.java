package io.loginetl;

import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.loginetl.db.UserLoginsTable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * What is checked before the pipeline starts, each failure one {@link ConfigurationException} that names the
 * setting to fix and the real cause (refused, unknown host, authentication failed, no such queue at the endpoint
 * actually used), never a setting that was not given.
 */
public final class StartupChecks {

    /** A password parameter of a PgJDBC URL: {@code password=} or {@code sslpassword=}, in any case. */
    private static final Pattern URL_PASSWORD = Pattern.compile("[?&](ssl)?password=", Pattern.CASE_INSENSITIVE);

    private StartupChecks() {
    }

    /**
     * The source queue's URL, how long it keeps (and can redeliver) a message, and the largest message the
     * dead-letter queue takes.
     */
    record SourceQueue(String url, Duration retention, int deadLetterMaxBytes) {
    }

    static void requirePositive(String setting, long value) {
        if (value < 1) {
            throw new ConfigurationException(setting, "is " + value + "; it must be at least 1");
        }
    }

    /**
     * DB_URL must be a PostgreSQL JDBC URL (anything else would be echoed, password and all, by DriverManager), and
     * without a password in it.
     */
    public static void checkDbUrl(String url) {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException("DB_URL", "must be a PostgreSQL JDBC URL starting with jdbc:postgresql://");
        }
        // Camel's startup summary prints db.url as it is (it masks settings named like passwords, not URLs)
        if (URL_PASSWORD.matcher(url).find()) {
            throw new ConfigurationException("DB_URL", "carries a password, which the startup summary would print:"
                    + " set it in DB_PASSWORD (DB_USER for the user) and leave it out of the URL");
        }
    }

    /** Both queues must exist where the client looks (SQS_ENDPOINT, or AWS in AWS_REGION). */
    static SourceQueue checkQueues(SqsClient sqs, String endpoint, String region, String queue, String deadLetterQueue) {
        String url = queueUrl(sqs, queue, "SQS_QUEUE", endpoint, region);
        String deadLetterUrl = queueUrl(sqs, deadLetterQueue, "SQS_DEAD_LETTER_QUEUE", endpoint, region);
        // unreadable: the longest SQS keeps a message (14 days), and the smallest maximum a queue had by default (256 KiB)
        long retention = queueAttribute(sqs, url, QueueAttributeName.MESSAGE_RETENTION_PERIOD, Duration.ofDays(14).toSeconds());
        long deadLetterMax = queueAttribute(sqs, deadLetterUrl, QueueAttributeName.MAXIMUM_MESSAGE_SIZE, 262_144);
        return new SourceQueue(url, Duration.ofSeconds(retention), (int) deadLetterMax);
    }

    private static String queueUrl(SqsClient sqs, String name, String setting, String endpoint, String region) {
        boolean aws = endpoint.isBlank();
        String where = aws ? "in AWS region " + region : "at SQS_ENDPOINT " + endpoint;
        try {
            return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            throw new ConfigurationException(setting, "names queue '" + name + "', which does not exist " + where);
        } catch (AwsServiceException e) {
            int status = e.statusCode();
            String code = e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode();
            if (status == 401 || status == 403) {
                throw new ConfigurationException("AWS_ACCESS_KEY_ID", "(or the credential chain) is refused by SQS " + where
                        + " when looking up " + setting + " '" + name + "': " + code);
            }
            throw new ConfigurationException(setting, "'" + name + "' cannot be looked up " + where + ": " + code);
        } catch (SdkException e) {
            throw new ConfigurationException(aws ? "AWS_REGION" : "SQS_ENDPOINT", (aws ? "is " + region + ", where"
                    : "is " + endpoint + ", where") + " SQS cannot be reached to look up " + setting + " '" + name + "': "
                    + rootCause(e));
        }
    }

    private static long queueAttribute(SqsClient sqs, String url, QueueAttributeName name, long otherwise) {
        try {
            return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(name)).attributes().get(name));
        } catch (RuntimeException e) {
            return otherwise;
        }
    }

    /** Creates the tables that are missing and reads user_logins as the database declares it. */
    static UserLoginsTable prepareTable(DataSource dataSource) {
        try {
            return UserLoginsTable.prepare(dataSource);
        } catch (SQLException e) {
            SQLException cause = deepestSqlException(e);
            String state = cause.getSQLState() == null ? "" : " (SQLState " + cause.getSQLState() + ")";
            if (cause.getSQLState() != null && cause.getSQLState().startsWith("28")) {
                throw new ConfigurationException("DB_USER", "(with DB_PASSWORD) is refused by the database at DB_URL: "
                        + cause.getMessage() + state);
            }
            Throwable below = cause.getCause();
            throw new ConfigurationException("DB_URL", "cannot be used: " + cause.getMessage()
                    + (below == null ? "" : " (" + rootCause(below) + ")") + state);
        }
    }

    /**
     * The SQLException nearest the cause: HikariCP reports a connection it could not make as a timeout ("Connection
     * is not available, request timed out"), with the driver's own exception (refused, authentication failed) below.
     */
    private static SQLException deepestSqlException(SQLException e) {
        SQLException deepest = e;
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                deepest = s;
            }
        }
        return deepest;
    }

    /** The innermost cause, as {@code Class: message} (host names and ports, never settings' values). */
    static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
