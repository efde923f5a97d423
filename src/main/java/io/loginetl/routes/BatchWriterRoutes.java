package io.loginetl.routes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import io.loginetl.db.BatchColumns;
import io.loginetl.db.UserLoginsTable;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.component.aws2.sqs.Sqs2Operations;

/**
 * The back half of the pipeline: write a batch, then let its messages go; and the dead-letter path.
 * The ingest half (consume, parse, map, mask, aggregate) is YAML in {@code routes/ingest.camel.yaml}.
 */
public class BatchWriterRoutes extends EndpointRouteBuilder {

    private static final String WRITE_STARTED = "loginEtlWriteStarted";

    /**
     * The columns of a batch, each bound as one array (see {@link BatchColumns}): the row's name and its SQL type;
     * {@code app_version} takes the table's own type.
     */
    static List<String[]> columns(String appVersionType) {
        return List.of(new String[] {"sqs_message_id", "varchar"}, new String[] {"user_id", "varchar"},
                new String[] {"device_type", "varchar"}, new String[] {"masked_ip", "varchar"},
                new String[] {"masked_device_id", "varchar"}, new String[] {"locale", "varchar"},
                new String[] {"app_version", appVersionType}, new String[] {"create_date", "date"},
                new String[] {"vault_key_id", "varchar"}, new String[] {"vault_ip", "bytea"},
                new String[] {"vault_device_id", "bytea"});
    }

    /**
     * A whole batch in one statement, each row written only if its SQS message id is new: the ids go into
     * {@code login_etl_messages}, the sealed originals into {@code login_etl_vault} (once per masked value, when a
     * vault key is set; a forgotten value's tombstone holds its key, so its original is never stored again) and the
     * rows into {@code user_logins}, all in the same statement, so a redelivered message never makes a second row
     * while two messages with equal content stay two rows. Keys are inserted in order, so batches written side by
     * side that share values wait for each other instead of deadlocking.
     */
    public static String insert(String appVersionType) {
        List<String[]> columns = columns(appVersionType);
        StringJoiner arrays = new StringJoiner(", ");
        StringJoiner names = new StringJoiner(", ");
        for (String[] c : columns) {
            arrays.add("CAST(:#" + c[0] + " AS " + c[1] + "[])");
            names.add(c[0]);
        }
        return "WITH batch AS (SELECT DISTINCT ON (sqs_message_id) * FROM unnest(" + arrays + ") AS r(" + names + ")"
                + " ORDER BY sqs_message_id),"
                + " fresh AS (INSERT INTO login_etl_messages (message_id) SELECT sqs_message_id FROM batch ORDER BY 1"
                + " ON CONFLICT (message_id) DO NOTHING RETURNING message_id),"
                + " written AS (SELECT batch.* FROM batch JOIN fresh ON fresh.message_id = batch.sqs_message_id),"
                + " vault AS (INSERT INTO login_etl_vault (masked, key_id, sealed)"
                + " SELECT DISTINCT ON (masked) masked, key_id, sealed FROM ("
                + "SELECT masked_ip, vault_key_id, vault_ip FROM written WHERE vault_ip IS NOT NULL"
                + " UNION ALL SELECT masked_device_id, vault_key_id, vault_device_id FROM written WHERE vault_device_id IS NOT NULL"
                + ") AS v(masked, key_id, sealed)"
                + " ORDER BY masked ON CONFLICT (masked) DO NOTHING)"
                + " INSERT INTO user_logins (user_id, device_type, masked_ip, masked_device_id, locale, app_version, create_date)"
                + " SELECT user_id, device_type, masked_ip, masked_device_id, locale, app_version, create_date FROM written";
    }

    /** Binds a batch to {@link #insert}: each column one array, of the column's declared type even when all null. */
    public static BatchColumns statementStrategy(String appVersionType) {
        Map<String, String> types = new HashMap<>();
        columns(appVersionType).forEach(c -> types.put(c[0], c[1]));
        return new BatchColumns(types);
    }

    @Override
    public void configure() {
        UserLoginsTable table = getCamelContext().getRegistry().lookupByNameAndType("userLoginsTable", UserLoginsTable.class);

        // one statement per batch: atomic on its own; the parameter count given, so camel-sql does not ask the
        // database for it on every execution
        var insert = sql(insert(table.appVersionType())).dataSource("#loginDataSource").noop(true)
                .advanced().parametersCount(columns(table.appVersionType()).size())
                .prepareStatementStrategy(statementStrategy(table.appVersionType()));

        // One batch, one transaction; only after the commit are its messages deleted from SQS.
        from(direct("write-batch")).routeId("login-batch-writer").routeConfigurationId(ErrorHandling.WRITER)
                .process(exchange -> exchange.setProperty(WRITE_STARTED, System.nanoTime()))
                .to(insert)
                .bean("pipelineStats", "written(${body}, ${header.CamelSqlUpdateCount}, ${exchangeProperty." + WRITE_STARTED + "})")
                .bean("sqsBatchDeleter", "deleteCommitted");

        // A batch refused for a data reason (ErrorHandling.WRITER): each row in its own transaction, so the good
        // ones commit and only the bad ones go to the dead-letter endpoint (ErrorHandling.ROW).
        from(direct("write-rows")).routeId("login-rows-writer").routeConfigurationId(ErrorHandling.PLAIN)
                .split(body())
                    // once the database is gone, the remaining rows stay on the queue rather than each waiting it out
                    .filter(method("consumptionGate", "isOpen"))
                    .setBody(exchange -> List.of(exchange.getMessage().getBody()))
                    .to(direct("write-row"));

        from(direct("write-row")).routeId("login-row-writer").routeConfigurationId(ErrorHandling.ROW)
                .process(exchange -> exchange.setProperty(WRITE_STARTED, System.nanoTime()))
                .to(insert)
                .bean("pipelineStats", "written(${body}, ${header.CamelSqlUpdateCount}, ${exchangeProperty." + WRITE_STARTED + "})")
                .bean("sqsBatchDeleter", "deleteCommitted");

        // The original body goes to the dead-letter endpoint with why (error_reason, source_message_id as SQS
        // message attributes); then it leaves the source queue. If the dead-letter endpoint cannot be reached,
        // the message is not deleted and comes back after the visibility timeout.
        from(direct("dead-letter")).routeId("login-dead-letter").routeConfigurationId(ErrorHandling.PLAIN)
                .setProperty("receiptHandle", header(Sqs2Constants.RECEIPT_HANDLE))
                .removeHeaders("*", ErrorHandling.ERROR_REASON, ErrorHandling.SOURCE_MESSAGE_ID)
                .bean("deadLetterFit", "fit")
                .doTry()
                    .to("{{dead-letter.uri}}")
                .doCatch(Exception.class)
                    .log(LoggingLevel.WARN, "io.loginetl.dead-letter", "message ${header.source_message_id} could not be "
                            + "dead-lettered (${exception.class.simpleName}); it stays on the source queue")
                    .stop()
                .end()
                .log(LoggingLevel.WARN, "io.loginetl.dead-letter",
                        "dead letter ${header.source_message_id}: ${header.error_reason}")
                .setHeader(Sqs2Constants.RECEIPT_HANDLE, exchangeProperty("receiptHandle"))
                .to(aws2Sqs("{{sqs.queue}}").operation(Sqs2Operations.deleteMessage).advanced().amazonSQSClient("#sqsClient"))
                .bean("pipelineStats", "deadLettered");
    }
}
