package io.loginetl.routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.component.aws2.sqs.Sqs2Operations;

/**
 * The back half of the pipeline: write a batch, then let its messages go; and the dead-letter path.
 * The ingest half (consume, parse, map, mask, aggregate) is YAML in {@code routes/ingest.camel.yaml}.
 */
public class BatchWriterRoutes extends EndpointRouteBuilder {

    static final String INSERT = "INSERT INTO user_logins"
            + " (user_id, device_type, masked_ip, masked_device_id, locale, app_version, create_date)"
            + " VALUES (:#user_id, :#device_type, :#masked_ip, :#masked_device_id, :#locale, :#app_version, :#create_date)";

    @Override
    public void configure() {
        // One batch, one transaction; only after the commit are its messages deleted from SQS.
        from(direct("write-batch")).routeId("login-batch-writer").routeConfigurationId(ErrorHandling.WRITER)
                .to(sql(INSERT).dataSource("#loginDataSource").batch(true).batchAutoCommitDisabled(true).noop(true))
                .bean("pipelineStats", "written(${body.size})")
                .bean("sqsBatchDeleter", "deleteCommitted");

        // The original body goes to the dead-letter endpoint with why (error_reason, source_message_id as SQS
        // message attributes); then it leaves the source queue. If the dead-letter endpoint cannot be reached,
        // the message is not deleted and comes back after the visibility timeout.
        from(direct("dead-letter")).routeId("login-dead-letter")
                .setProperty("receiptHandle", header(Sqs2Constants.RECEIPT_HANDLE))
                .removeHeaders("*", ErrorHandling.ERROR_REASON, ErrorHandling.SOURCE_MESSAGE_ID)
                .log(LoggingLevel.WARN, "io.loginetl.dead-letter",
                        "dead letter ${header.source_message_id}: ${header.error_reason}")
                .to("{{dead-letter.uri}}")
                .setHeader(Sqs2Constants.RECEIPT_HANDLE, exchangeProperty("receiptHandle"))
                .to(aws2Sqs("{{sqs.queue}}").operation(Sqs2Operations.deleteMessage).advanced().amazonSQSClient("#sqsClient"))
                .bean("pipelineStats", "deadLettered");
    }
}
