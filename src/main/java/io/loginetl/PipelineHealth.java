package io.loginetl;

import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.loginetl.routes.ConsumptionGate;
import io.loginetl.sqs.SqsPollStrategy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Whether SQS and the database answer, asked every few seconds off the request path (a probe never waits on the
 * network), as two readiness checks for {@code /observe/health/ready}; and the queue's depth, as gauges for
 * {@code /observe/metrics} (KEDA scales on the same figure).
 */
public final class PipelineHealth {

    private final SqsClient sqs;
    private final String queueUrl;
    private final DataSource dataSource;
    private final ConsumptionGate gate;
    private final SqsPollStrategy polling;
    private final AtomicLong visible = new AtomicLong(-1);
    private final AtomicLong inFlight = new AtomicLong(-1);
    private volatile String sqsProblem = "not checked yet";
    private volatile String databaseProblem = "not checked yet";

    public PipelineHealth(SqsClient sqs, String queueUrl, DataSource dataSource, ConsumptionGate gate, SqsPollStrategy polling,
            MeterRegistry meters) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.dataSource = dataSource;
        this.gate = gate;
        this.polling = polling;
        Gauge.builder("login_etl_queue_messages", visible, AtomicLong::get).description("messages waiting on the source queue")
                .register(meters);
        Gauge.builder("login_etl_queue_messages_in_flight", inFlight, AtomicLong::get)
                .description("messages received from the source queue and not yet deleted").register(meters);
    }

    /** Asks both servers; called on a schedule. Records what failed (the kind of error, never a message text). */
    public void refresh() {
        try {
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            visible.set(Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)));
            inFlight.set(Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
            sqsProblem = null;
        } catch (RuntimeException e) {
            sqsProblem = "the source queue does not answer (" + e.getClass().getSimpleName() + ")";
        }
        try (Connection c = dataSource.getConnection()) {
            databaseProblem = !c.isValid(5) ? "the database does not answer"
                    : c.isReadOnly() ? "the database is read-only" : null;
        } catch (Exception e) {
            databaseProblem = "the database does not answer (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** Null when SQS answers and polling works; else why not. */
    public String sqsProblem() {
        return polling.isFailing() ? "polling SQS fails" : sqsProblem;
    }

    /** Null when the database answers and takes writes; else why not. */
    public String databaseProblem() {
        return gate.isClosed() ? "the database cannot take writes; polling is paused" : databaseProblem;
    }

    public HealthCheck sqsCheck() {
        return new ReadinessCheck("login-etl-sqs", this::sqsProblem);
    }

    public HealthCheck databaseCheck() {
        return new ReadinessCheck("login-etl-database", this::databaseProblem);
    }

    /** Ready when {@code problem} gives null. Not a liveness check: a server being away is no reason to restart. */
    private static final class ReadinessCheck extends AbstractHealthCheck {
        private final java.util.function.Supplier<String> problem;

        ReadinessCheck(String id, java.util.function.Supplier<String> problem) {
            super("login-etl", id);
            this.problem = problem;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            String why = problem.get();
            if (why == null) {
                builder.up();
            } else {
                builder.down().message(why);
            }
        }
    }
}
