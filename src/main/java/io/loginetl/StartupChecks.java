package io.loginetl;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.loginetl.db.Schema;
import io.loginetl.db.UserLoginsTable;
import org.flywaydb.core.api.FlywayException;
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
     * The source queue's URL, how long it keeps (and can redeliver) a message, the largest message it takes, and the
     * largest message the dead-letter queue takes.
     */
    record SourceQueue(String url, Duration retention, int maxMessageBytes, int deadLetterMaxBytes) {
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
        // unreadable (AWS always answers; ElasticMQ, for one, does not): the longest SQS keeps a message (14 days),
        // and SQS's classic default maximum message size (256 KiB)
        Map<QueueAttributeName, String> source = queueAttributes(sqs, url,
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, QueueAttributeName.MAXIMUM_MESSAGE_SIZE);
        long retention = number(source.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD), Duration.ofDays(14).toSeconds());
        long maxMessage = number(source.get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE), 262_144);
        long deadLetterMax = number(queueAttributes(sqs, deadLetterUrl, QueueAttributeName.MAXIMUM_MESSAGE_SIZE)
                .get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE), 262_144);
        return new SourceQueue(url, Duration.ofSeconds(retention), (int) maxMessage, (int) deadLetterMax);
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

    /** The attributes asked for, in one call; those the server does not give (or a failed call) are absent. */
    private static Map<QueueAttributeName, String> queueAttributes(SqsClient sqs, String url, QueueAttributeName... names) {
        try {
            return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(names)).attributes();
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private static long number(String value, long otherwise) {
        try {
            return value == null ? otherwise : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /**
     * Brings the schema to the current version when it is behind, if {@code db.migrate} allows it and DB_USER may
     * create tables, else stops with the command that does it; then reads {@code user_logins} back.
     */
    static UserLoginsTable prepareTable(DataSource dataSource, Database db, boolean migrate) {
        return withDatabaseErrors(() -> {
            List<String> pending = Schema.pending(db.url(), db.user(), db.password());
            if (!pending.isEmpty()) {
                if (!migrate) {
                    throw new ConfigurationException("db.migrate", "is false and the database at DB_URL is not at login-etl's "
                            + "schema version " + pending.get(pending.size() - 1) + ": " + RUN_MIGRATE);
                }
                Schema.migrate(db.url(), db.user(), db.password());
            }
            return UserLoginsTable.inspect(dataSource);
        });
    }

    /** The schema versions not applied yet at DB_URL (a database that cannot be used: one line naming the setting). */
    static List<String> pendingVersions(Database db) {
        return withDatabaseErrors(() -> Schema.pending(db.url(), db.user(), db.password()));
    }

    /** Applies the pending versions at DB_URL; returns those applied (a refusal: one line naming the setting). */
    static List<String> migrate(Database db) {
        return withDatabaseErrors(() -> Schema.migrate(db.url(), db.user(), db.password()));
    }

    /** The schema's version at DB_URL. */
    static String schemaVersion(Database db) {
        return withDatabaseErrors(() -> Schema.current(db.url(), db.user(), db.password()));
    }

    /** Where the database is and who connects (DB_URL, DB_USER, DB_PASSWORD). */
    record Database(String url, String user, String password) {
        @Override
        public String toString() {
            return "Database[" + url + "]"; // never the password
        }
    }

    private interface DatabaseWork<T> {
        T run() throws SQLException;
    }

    /** The database's refusal as one line naming the setting to fix, with the driver's own cause. */
    private static <T> T withDatabaseErrors(DatabaseWork<T> work) {
        try {
            return work.run();
        } catch (SQLException | FlywayException e) {
            SQLException cause = deepestSqlException(e);
            if (cause == null) {
                throw new ConfigurationException("DB_URL", "cannot be migrated to login-etl's schema: " + e.getMessage());
            }
            String state = cause.getSQLState() == null ? "" : " (SQLState " + cause.getSQLState() + ")";
            if (cause.getSQLState() != null && cause.getSQLState().startsWith("28")) {
                throw new ConfigurationException("DB_USER", "(with DB_PASSWORD) is refused by the database at DB_URL: "
                        + cause.getMessage() + state);
            }
            if ("42501".equals(cause.getSQLState())) {
                throw new ConfigurationException("DB_USER", "lacks a privilege at DB_URL (" + cause.getMessage() + "): "
                        + RUN_MIGRATE + ", then its db/least-privilege.sql for DB_USER's role (docs/pii.md; with "
                        + "db.migrate=false, the pipeline does not try to create tables)");
            }
            Throwable below = cause.getCause();
            throw new ConfigurationException("DB_URL", "cannot be used: " + cause.getMessage()
                    + (below == null ? "" : " (" + rootCause(below) + ")") + state);
        }
    }

    static final String RUN_MIGRATE = "run `java -jar login-etl.jar migrate` as the database owner";

    /**
     * The SQLException nearest the cause: HikariCP reports a connection it could not make as a timeout ("Connection
     * is not available, request timed out"), with the driver's own exception (refused, authentication failed) below.
     */
    static SQLException deepestSqlException(Throwable e) {
        SQLException deepest = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
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
