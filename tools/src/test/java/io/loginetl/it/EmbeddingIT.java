package io.loginetl.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import io.loginetl.LoginEtlTemplate;
import io.loginetl.routes.ErrorHandling;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.DeadLetterChannelBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.ErrorHandlerFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * login-etl added to a plain CamelContext (no Main, no application.properties of ours) from its route template,
 * beside an application's own route and global error handler, which it must leave alone.
 */
class EmbeddingIT {

    /** The messages of an exception and its causes. */
    private static String causes(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            all.append(c.getMessage()).append(" / ");
        }
        return all.toString();
    }

    @Test
    void addedBeforeTheContextStartsItSaysSoRatherThanAddHalfAPipeline() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new LoginEtlTemplate());
            TemplatedRouteBuilder.builder(context, LoginEtlTemplate.ID).parameter("pii.masking.secret", Fixture.MASKING_KEY).add();
            Exception early = assertThrows(Exception.class, context::start);
            assertTrue(causes(early).contains("after the CamelContext has started"), causes(early));
            assertEquals(null, context.getRegistry().lookupByName("pipelineStats"), "beans were bound all the same");
        }
    }

    @Test
    void aPlainCamelContextAddsThePipelineFromTheTemplateAndKeepsItsOwnErrorHandler() throws Exception {
        try (Fixture f = new Fixture(); CamelContext context = new DefaultCamelContext()) {
            // the application: a global dead-letter channel, and a route of its own that fails
            List<Object> applicationDeadLetters = new CopyOnWriteArrayList<>();
            ErrorHandlerFactory applicationErrorHandler = new DeadLetterChannelBuilder("direct:application-dead-letters");
            context.getCamelContextExtension().setErrorHandlerFactory(applicationErrorHandler);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:application").routeId("application").throwException(new IllegalStateException("boom"));
                    from("direct:application-dead-letters").process(e -> applicationDeadLetters.add(e.getMessage().getBody()));
                }
            });

            // login-etl, its settings as the template's parameters
            context.addRoutes(new LoginEtlTemplate());
            Properties settings = f.settings();
            context.start();
            // a first attempt with a queue that does not exist fails, leaves nothing behind, and may be corrected
            TemplatedRouteBuilder wrong = TemplatedRouteBuilder.builder(context, LoginEtlTemplate.ID);
            for (String key : List.of("sqs.endpoint", "aws.region", "aws.access-key", "aws.secret-key", "sqs.dead-letter-queue",
                    "db.url", "db.user", "db.password", "pii.masking.secret")) {
                wrong.parameter(key, settings.getProperty(key));
            }
            Exception failed = assertThrows(Exception.class, () -> wrong.parameter("sqs.queue", "no-such-queue").add());
            assertTrue(causes(failed).contains("SQS_QUEUE names queue 'no-such-queue'"), causes(failed));
            assertEquals(null, context.getRegistry().lookupByName("pipelineStats"));
            TemplatedRouteBuilder instance = TemplatedRouteBuilder.builder(context, LoginEtlTemplate.ID);
            for (String key : List.of("sqs.endpoint", "aws.region", "aws.access-key", "aws.secret-key", "sqs.queue",
                    "sqs.dead-letter-queue", "db.url", "db.user", "db.password", "pii.masking.secret",
                    "sqs.wait-time-seconds", "batch.size", "batch.timeout")) {
                instance.parameter(key, settings.getProperty(key));
            }
            instance.add();

            List<String> bodies = new ArrayList<>(Fixture.logins("embedded", 30));
            bodies.add("{\"foo\":\"oops\",\"bar\":\"123\"}");
            f.send(bodies);
            await().atMost(60, SECONDS).until(() -> {
                assertTrue(applicationDeadLetters.isEmpty(), "login-etl used the application's error handler: " + applicationDeadLetters);
                return f.rows() == 30 && f.onQueue(f.queueUrl) == 0;
            });

            // login-etl's bad input went to its own dead-letter queue, with its reason, not to the application's
            List<Message> deadLetters = f.drainDeadLetters();
            assertEquals(1, deadLetters.size());
            assertEquals("not a login event: no user_id", deadLetters.get(0).messageAttributes().get(ErrorHandling.ERROR_REASON).stringValue());
            assertTrue(applicationDeadLetters.isEmpty(), "login-etl used the application's error handler");

            // the application's route still fails into the application's own dead-letter channel
            context.createProducerTemplate().sendBody("direct:application", "its own message");
            assertEquals(List.of("its own message"), applicationDeadLetters);
            assertSame(applicationErrorHandler, context.getCamelContextExtension().getErrorHandlerFactory());

            // one pipeline per context: a second instance is refused, not half-added
            Exception second = assertThrows(Exception.class, () -> TemplatedRouteBuilder.builder(context, LoginEtlTemplate.ID)
                    .routeId("second").parameter("pii.masking.secret", Fixture.MASKING_KEY).add());
            assertTrue(causes(second).contains("already in this CamelContext"), causes(second));
            assertEquals(null, context.getRoute("second"));
        }
    }
}
