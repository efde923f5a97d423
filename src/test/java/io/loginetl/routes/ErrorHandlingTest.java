package io.loginetl.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.loginetl.metrics.PipelineStats;
import io.loginetl.mapping.InvalidLoginException;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The route configurations on their own (camel-test-junit5): which failures become dead letters, and what a dead
 * letter carries. The routes under test are stand-ins fed by {@code direct:}; the real pipeline on real SQS and
 * PostgreSQL is PipelineIT's.
 */
class ErrorHandlingTest extends CamelTestSupport {

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties settings = new Properties();
        settings.setProperty(ErrorHandling.MAX_RECEIVES, "3");
        return settings;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        return new RoutesBuilder[] {new ErrorHandling(), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ingest").routeConfigurationId(ErrorHandling.INGEST)
                        .unmarshal().json(LinkedHashMap.class)
                        .process(exchange -> {
                            if (exchange.getMessage().getBody(Map.class).containsKey("bug")) {
                                throw new IllegalStateException("a bug, not bad input");
                            }
                        })
                        .to("mock:accepted");
                from("direct:row").routeConfigurationId(ErrorHandling.ROW)
                        .process(exchange -> {
                            throw exchange.getMessage().getHeader("failure", Exception.class);
                        });
                from("direct:dead-letter").to("mock:dead-letter");
            }
        }};
    }

    @Test
    void badJsonBecomesADeadLetterWithTheOriginalBodyAndAReasonThatQuotesNothing() throws Exception {
        MockEndpoint dead = getMockEndpoint("mock:dead-letter");
        dead.expectedMessageCount(1);

        template.sendBodyAndHeader("direct:ingest", "{\"device_id\": d593a47b5928}", Sqs2Constants.MESSAGE_ID, "m-1");

        dead.assertIsSatisfied();
        Exchange exchange = dead.getReceivedExchanges().get(0);
        assertEquals("{\"device_id\": d593a47b5928}", exchange.getMessage().getBody(String.class));
        assertEquals("not JSON: syntax error at line 1, column 27", exchange.getMessage().getHeader(ErrorHandling.ERROR_REASON));
        assertEquals("m-1", exchange.getMessage().getHeader(ErrorHandling.SOURCE_MESSAGE_ID));
        // Jackson's exception quotes the token; what Camel would log from here on is the reason only
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        assertInstanceOf(InvalidLoginException.class, caught);
        assertFalse(caught.getMessage().contains("d593a47b5928"));
    }

    @Test
    void aFailureThatIsNotBadInputIsNotDeadLetteredAndFailsTheExchangeSoSqsDeliversItAgain() throws Exception {
        getMockEndpoint("mock:dead-letter").expectedMessageCount(0);

        Exchange result = template.send("direct:ingest", e -> e.getMessage().setBody("{\"bug\":1}"));

        assertNotNull(result.getException());
        getMockEndpoint("mock:dead-letter").assertIsSatisfied();
    }

    @Test
    void aFailureNobodyClassifiedIsADeadLetterWithItsClassNameOnceSqsHasDeliveredItMaxReceivesTimes() throws Exception {
        MockEndpoint dead = getMockEndpoint("mock:dead-letter");
        dead.expectedMessageCount(1);

        for (int receive = 1; receive <= 3; receive++) {
            Exchange result = sendReceived("{\"bug\":\"199.172.111.135\"}", receive, false);
            // receives 1 and 2 fail the exchange (the message stays on SQS); the third is handled
            assertEquals(receive < 3, result.getException() != null, "receive " + receive);
        }

        dead.assertIsSatisfied();
        Exchange exchange = dead.getReceivedExchanges().get(0);
        assertEquals("{\"bug\":\"199.172.111.135\"}", exchange.getMessage().getBody(String.class));
        assertEquals("unexpected failure: java.lang.IllegalStateException (received 3 times)",
                exchange.getMessage().getHeader(ErrorHandling.ERROR_REASON));
        assertEquals("m-3", exchange.getMessage().getHeader(ErrorHandling.SOURCE_MESSAGE_ID));
        assertFalse(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class).getMessage().contains("199.172"));
    }

    @Test
    void aBatchThatFailsIsNeverDeadLetteredByTheReceiveCountOfItsFirstRow() throws Exception {
        getMockEndpoint("mock:dead-letter").expectedMessageCount(0);

        Exchange result = sendReceived("{\"bug\":1}", 9, true);

        assertNotNull(result.getException());
        getMockEndpoint("mock:dead-letter").assertIsSatisfied();
    }

    /** A message (or, with {@code batch}, a batch with its first row's headers) that SQS has delivered {@code receives} times. */
    private Exchange sendReceived(String body, int receives, boolean batch) {
        return template.send("direct:ingest", e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeader(Sqs2Constants.MESSAGE_ID, "m-3");
            e.getMessage().setHeader(Sqs2Constants.ATTRIBUTES,
                    Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, Integer.toString(receives)));
            if (batch) {
                e.setProperty(Exchange.AGGREGATED_SIZE, 2);
            }
        });
    }

    @Test
    void aRowTheDatabaseRefusesIsADeadLetterWithItsOriginalBody() throws Exception {
        MockEndpoint dead = getMockEndpoint("mock:dead-letter");
        dead.expectedMessageCount(1);
        Map<String, Object> row = Map.of("sqs_body", "{\"user_id\":\"u\"}", "sqs_message_id", "m-2", "sqs_receipt_handle", "rh-2");

        template.send("direct:row", e -> {
            e.getMessage().setBody(List.of(row));
            e.getMessage().setHeader("failure", new RuntimeException(new SQLException("null value in column", "23502")));
        });

        dead.assertIsSatisfied();
        Exchange exchange = dead.getReceivedExchanges().get(0);
        assertEquals("{\"user_id\":\"u\"}", exchange.getMessage().getBody());
        assertEquals("rejected by the database: SQLState 23502 (not-null violation)",
                exchange.getMessage().getHeader(ErrorHandling.ERROR_REASON));
        assertEquals("rh-2", exchange.getMessage().getHeader(Sqs2Constants.RECEIPT_HANDLE));
    }

    @Test
    void aRowThatFailsForATransientReasonIsNotDeadLetteredAndPausesPolling() throws Exception {
        getMockEndpoint("mock:dead-letter").expectedMessageCount(0);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        ConsumptionGate gate = new ConsumptionGate(context, null, scheduler);
        context.getRegistry().bind("pipelineStats", new PipelineStats());
        context.getRegistry().bind("consumptionGate", gate);
        try {
            Exchange result = template.send("direct:row", e -> {
                e.getMessage().setBody(List.of(Map.of("sqs_body", "{}")));
                e.getMessage().setHeader("failure", new SQLException("connection refused", "08001"));
            });

            assertNull(result.getException());
            assertTrue(gate.isClosed());
            getMockEndpoint("mock:dead-letter").assertIsSatisfied();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
