package io.loginetl.routes;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.loginetl.metrics.PipelineStats;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.loginetl.db.SqlErrors;
import io.loginetl.mapping.DeadLetterReason;
import io.loginetl.mapping.InvalidLoginException;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's error handling, kept apart from the routes in route configurations that routes pick by id,
 * so a Camel estate that embeds the routes keeps its own global error handler. Each configuration names its error
 * handler (Camel's default: a failure not handled here propagates, so the message stays on SQS) rather than
 * inheriting the context's, which in an estate may be a dead-letter channel that would swallow it.
 * <ul>
 * <li>{@value #INGEST}: anything that stops a message on its way in is a property of that message (not JSON,
 * not a login, a value that cannot fit its column): its original body goes to the dead-letter endpoint with
 * the reason, at once, and it never holds up the others. A failure nobody classified (a bug) leaves the message
 * on the queue until SQS has delivered it {@code message.max-receives} times; then it is a dead letter too, with
 * the failure's class name.</li>
 * <li>{@value #WRITER}: a batch that cannot be written is a property of the database (down, read-only,
 * unreachable): retried with exponential back-off and jitter, then left alone. Its messages were never
 * deleted, so SQS delivers them again after the visibility timeout. Never dead-lettered.</li>
 * </ul>
 */
public class ErrorHandling extends RouteConfigurationBuilder {

    public static final String INGEST = "login-ingest-errors";
    public static final String WRITER = "login-writer-errors";
    public static final String ROW = "login-row-errors";
    /** The other routes: no handling of their own, but never the embedding application's error handler. */
    public static final String PLAIN = "login-etl-errors";
    public static final String ERROR_REASON = "error_reason";
    public static final String SOURCE_MESSAGE_ID = "source_message_id";
    /** Deliveries after which a message that keeps failing for an unclassified reason is dead-lettered. */
    public static final String MAX_RECEIVES = "message.max-receives";

    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandling.class);
    private static final AtomicBoolean WARNED_NO_RECEIVE_COUNT = new AtomicBoolean();

    @Override
    public void configuration() {
        // Bad input is dead-lettered at once. Anything else (a bug, a failure that escapes the writer into the
        // aggregate) fails the exchange, so the message stays on SQS and comes back; once SQS has delivered it
        // message.max-receives times it is dead-lettered with the failure's class name, so a bug cannot make a
        // message loop until the queue's retention drops it. (The dead-letter queue unreachable is no failure here:
        // the dead-letter route leaves the message on the queue itself.)
        ownConfiguration(INGEST)
                .onException(InvalidLoginException.class, JsonProcessingException.class)
                    .handled(true)
                    .useOriginalMessage()
                    // Jackson's messages quote the input: never log them, and replace them at once (below)
                    .logRetryAttempted(false)
                    .logExhausted(false)
                    .logNewException(false)
                    .logHandled(false)
                    .process(ErrorHandling::describeDeadLetter)
                    .to("direct:dead-letter")
                .end()
                .onException(Throwable.class)
                    .onWhen(ErrorHandling::receivedTooOften)
                    .handled(true)
                    .useOriginalMessage()
                    .logExhausted(false)
                    .logHandled(false)
                    .logNewException(false)
                    .process(exchange -> {
                        describeDeadLetter(exchange);
                        String reason = exchange.getMessage().getHeader(ERROR_REASON, String.class)
                                + " (received " + receiveCount(exchange) + " times)";
                        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new InvalidLoginException(reason));
                        exchange.getMessage().setHeader(ERROR_REASON, reason);
                    })
                    .to("direct:dead-letter")
                .end()
                .onException(Throwable.class)
                    .logExhausted(false)
                    .process(exchange -> LOG.warn("message {} was not processed ({}, receive {} of {}); it stays on the queue",
                            exchange.getMessage().getHeader(Sqs2Constants.MESSAGE_ID),
                            SqlErrors.describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)),
                            receiveCount(exchange), maxReceives(exchange)));

        // A batch the database refuses for a data reason holds bad rows: write it row by row instead.
        onDataError(ownConfiguration(WRITER))
                    .process(exchange -> LOG.warn("a batch of {} logins was refused ({}); writing it row by row",
                            exchange.getMessage().getBody(List.class).size(),
                            SqlErrors.describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))))
                    .to("direct:write-rows")
                .end()
                .onException(Exception.class)
                    .maximumRedeliveries("{{db.retry.max-redeliveries}}")
                    .redeliveryDelay("{{db.retry.initial-delay}}")
                    .useExponentialBackOff()
                    .backOffMultiplier(2)
                    .useCollisionAvoidance()
                    .maximumRedeliveryDelay("{{db.retry.max-delay}}")
                    .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                    .logExhausted(false)
                    .logStackTrace(false)
                    .onRedelivery(ErrorHandling::logRetry)
                    .handled(true)
                    .process(ErrorHandling::holdBack);

        ownConfiguration(PLAIN);

        // One row of a refused batch: refused again for a data reason, it is a dead letter (its original body,
        // the reason); any other failure leaves its message on the queue.
        onDataError(ownConfiguration(ROW))
                    .process(ErrorHandling::rowToDeadLetter)
                    .to("direct:dead-letter")
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .logExhausted(false)
                    .logStackTrace(false)
                    .process(ErrorHandling::holdBack);
    }

    /**
     * A route configuration that names Camel's default error handler (a failure not handled here propagates, so
     * the message stays on SQS) instead of inheriting the context's, which an embedding application may have set.
     */
    private RouteConfigurationDefinition ownConfiguration(String id) {
        return routeConfiguration(id).errorHandler(defaultErrorHandler());
    }

    /** The database refused the data (SQLState classes 22, 23): handled here, quietly; what follows says what to do. */
    private static OnExceptionDefinition onDataError(RouteConfigurationDefinition configuration) {
        return configuration.onException(Exception.class)
                .onWhen(exchange -> SqlErrors.isDataError(exchange.getException()))
                .handled(true)
                .logExhausted(false)
                .logRetryAttempted(false);
    }

    @SuppressWarnings("unchecked")
    private static void rowToDeadLetter(Exchange exchange) {
        Map<String, Object> row = (Map<String, Object>) exchange.getMessage().getBody(List.class).get(0);
        String reason = SqlErrors.rejectionReason(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new InvalidLoginException(reason));
        Message message = exchange.getMessage();
        message.setBody(row.get("sqs_body"));
        message.setHeader(ERROR_REASON, reason);
        message.setHeader(SOURCE_MESSAGE_ID, row.get("sqs_message_id"));
        message.setHeader(Sqs2Constants.RECEIPT_HANDLE, row.get("sqs_receipt_handle"));
    }

    private static void describeDeadLetter(Exchange exchange) {
        String reason = DeadLetterReason.of(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        // what Camel logs if the dead-letter path itself fails is this property: keep only the reason in it
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new InvalidLoginException(reason));
        exchange.getMessage().setHeader(ERROR_REASON, reason);
        exchange.getMessage().setHeader(SOURCE_MESSAGE_ID, exchange.getMessage().getHeader(Sqs2Constants.MESSAGE_ID));
    }

    /** How often SQS has delivered this message (its ApproximateReceiveCount), 0 when unknown. */
    static int receiveCount(Exchange exchange) {
        Map<?, ?> attributes = exchange.getMessage().getHeader(Sqs2Constants.ATTRIBUTES, Map.class);
        Object count = attributes == null ? null : attributes.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        try {
            return count == null ? 0 : Integer.parseInt(count.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int maxReceives(Exchange exchange) {
        return Integer.parseInt(exchange.getContext().resolvePropertyPlaceholders("{{" + MAX_RECEIVES + "}}"));
    }

    /**
     * One message (never a batch, whose headers are its first row's) that SQS has delivered message.max-receives
     * times. Without ApproximateReceiveCount (a route edited to leave it out of attributeNames) there is no bound
     * but the queue's redrive policy: said once.
     */
    private static boolean receivedTooOften(Exchange exchange) {
        if (exchange.getProperty(Exchange.AGGREGATED_SIZE) != null) {
            return false;
        }
        int count = receiveCount(exchange);
        if (count == 0 && WARNED_NO_RECEIVE_COUNT.compareAndSet(false, true)) {
            LOG.warn("messages arrive without ApproximateReceiveCount, so a message failing for an unclassified reason "
                    + "is retried until the queue's redrive policy moves it; give the aws2-sqs consumer "
                    + "attributeNames: SentTimestamp,ApproximateReceiveCount");
        }
        return count >= maxReceives(exchange);
    }

    private static void logRetry(Exchange exchange) {
        stats(exchange).retried();
        Throwable cause = exchange.getException() != null
                ? exchange.getException() : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.warn("writing a batch failed ({}); retry {} with back-off", SqlErrors.describe(cause),
                exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER));
    }

    private static PipelineStats stats(Exchange exchange) {
        return exchange.getContext().getRegistry().lookupByNameAndType("pipelineStats", PipelineStats.class);
    }

    private static void holdBack(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        stats(exchange).batchNotWritten();
        if (SqlErrors.isUnavailable(cause)) {
            exchange.getContext().getRegistry().lookupByNameAndType("consumptionGate", ConsumptionGate.class).databaseUnavailable(cause);
        }
        LOG.warn("{} logins were not written ({}); their messages stay on the queue and are delivered again "
                + "after the visibility timeout", exchange.getMessage().getBody(List.class).size(), SqlErrors.describe(cause));
    }
}
