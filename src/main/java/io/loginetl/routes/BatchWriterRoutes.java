package io.loginetl.routes;

import java.util.List;

import io.loginetl.db.RowParameters;
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
     * One row, written only if its SQS message id is new: the id goes into {@code login_etl_messages}, the sealed
     * originals into {@code login_etl_vault} (once per masked value, when a vault key is set) and the row into
     * {@code user_logins}, all in the same statement, so a redelivered message never makes a second row while
     * two messages with equal content stay two rows. The casts type the parameters for PostgreSQL.
     */
    static String insert(String appVersionType) {
        return "WITH fresh AS (INSERT INTO login_etl_messages (message_id) VALUES (:#sqs_message_id)"
                + " ON CONFLICT (message_id) DO NOTHING RETURNING message_id),"
                + vault("ip") + "," + vault("device_id")
                + " INSERT INTO user_logins (user_id, device_type, masked_ip, masked_device_id, locale, app_version, create_date)"
                + " SELECT CAST(:#user_id AS varchar), CAST(:#device_type AS varchar), CAST(:#masked_ip AS varchar),"
                + " CAST(:#masked_device_id AS varchar), CAST(:#locale AS varchar), CAST(:#app_version AS " + appVersionType + "),"
                + " CAST(:#create_date AS date) FROM fresh";
    }

    private static String vault(String field) {
        return " vault_" + field + " AS (INSERT INTO login_etl_vault (masked, key_id, sealed)"
                + " SELECT CAST(:#masked_" + field + " AS varchar), CAST(:#vault_key_id AS varchar), CAST(:#vault_" + field + " AS bytea)"
                + " FROM fresh WHERE CAST(:#vault_" + field + " AS bytea) IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM login_etl_forgotten f WHERE f.masked = CAST(:#masked_" + field + " AS varchar))"
                + " ON CONFLICT (masked) DO NOTHING)";
    }

    @Override
    public void configure() {
        UserLoginsTable table = getCamelContext().getRegistry().lookupByNameAndType("userLoginsTable", UserLoginsTable.class);

        var insert = sql(insert(table.appVersionType())).dataSource("#loginDataSource")
                .batch(true).batchAutoCommitDisabled(true).noop(true)
                .advanced().prepareStatementStrategy(new RowParameters());

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
