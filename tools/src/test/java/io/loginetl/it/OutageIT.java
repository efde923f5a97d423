package io.loginetl.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.loginetl.LoginEtl;
import io.loginetl.routes.ConsumptionGate;
import io.loginetl.sqs.SqsPollStrategy;
import org.junit.jupiter.api.Test;

/**
 * Faults of the world (the database down, SQS unreachable) keep messages on the queue and pause the pipeline; they
 * never dead-letter, and every message is written exactly once when the world comes back.
 */
class OutageIT {

    @Test
    void messagesStayOnTheQueueUntilTheirRowsAreCommittedAndADatabaseOutageIsNeverDeadLettered() throws Exception {
        try (Fixture f = new Fixture(15)) {
            Properties settings = f.settings();
            settings.setProperty("sqs.visibility-timeout", "15");
            settings.setProperty("db.retry.max-redeliveries", "1");
            settings.setProperty("db.retry.initial-delay", "100");
            settings.setProperty("db.connection-timeout", "1000");
            List<String> logins = new ArrayList<>(Fixture.logins("u", 30));
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                f.servers.stopPostgres();
                try {
                    f.send(logins);
                    // the batches were aggregated, their insert failed for good (retries exhausted) ...
                    await().atMost(60, SECONDS).until(() -> Fixture.stats(pipeline).written() == 0
                            && Fixture.stats(pipeline).deadLetters() == 0 && batchesHeldBack(pipeline) > 0);
                    // ... every message is still on the queue, and polling has stopped
                    assertEquals(logins.size(), f.onQueue(f.queueUrl));
                    assertTrue(gate(pipeline).isClosed());
                } finally {
                    f.servers.startPostgres();
                }
                // SQS delivers them again after the visibility timeout, and this time they are written
                await().atMost(90, SECONDS).until(() -> f.rows() == logins.size() && f.onQueue(f.queueUrl) == 0);
            }
            assertEquals(logins.size(), f.allRows().stream().map(r -> r.get("user_id")).distinct().count());
            assertTrue(f.drainDeadLetters().isEmpty(), "a database outage must never dead-letter");
        }
    }

    @Test
    void aDatabaseOutageMidRunPausesPollingAndEveryMessageIsWrittenExactlyOnceAfterwards() throws Exception {
        try (Fixture f = new Fixture(10)) {
            Properties settings = f.settings();
            settings.setProperty("sqs.visibility-timeout", "10");
            settings.setProperty("db.retry.max-redeliveries", "2");
            settings.setProperty("db.retry.initial-delay", "200");
            settings.setProperty("db.connection-timeout", "1000");
            List<String> logins = new ArrayList<>(Fixture.logins("u", 3000));
            f.send(logins);
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                await().atMost(60, SECONDS).until(() -> f.rows() >= 300);
                f.servers.stopPostgres();
                try {
                    await().atMost(60, SECONDS).until(() -> gate(pipeline).isClosed());
                    Thread.sleep(15_000); // the outage itself: fifteen seconds without a database
                    assertTrue(gate(pipeline).isClosed(), "polling resumed while the database was down");
                } finally {
                    f.servers.startPostgres();
                }
                await().atMost(120, SECONDS).until(() -> !gate(pipeline).isClosed());
                await().atMost(120, SECONDS).until(() -> f.rows() == logins.size() && f.onQueue(f.queueUrl) == 0);
            }
            assertEquals(logins.size(), distinctUsers(f));
            assertTrue(f.drainDeadLetters().isEmpty(), "a database outage must never dead-letter");
        }
    }

    @Test
    void whileSqsIsUnreachableThePipelineWaitsAndThenContinues() throws Exception {
        try (Fixture f = new Fixture(5); TcpProxy proxy = new TcpProxy(java.net.URI.create(f.servers.sqsEndpoint()).getPort())) {
            Properties settings = f.settings();
            settings.setProperty("sqs.endpoint", "http://127.0.0.1:" + proxy.port());
            // a receive cut mid-flight leaves its messages invisible until this runs out
            settings.setProperty("sqs.visibility-timeout", "5");
            List<String> first = Fixture.logins("a", 50);
            List<String> second = Fixture.logins("b", 50);
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                f.send(first);
                await().atMost(60, SECONDS).until(() -> f.rows() == first.size() && f.onQueue(f.queueUrl) == 0);
                proxy.cut();
                SqsPollStrategy polling = pipeline.context().getRegistry().lookupByNameAndType("sqsPollStrategy", SqsPollStrategy.class);
                await().atMost(60, SECONDS).until(polling::isFailing);
                f.send(second); // straight to the server: the pipeline cannot see them
                assertEquals(first.size(), f.rows());
                proxy.restore();
                await().atMost(90, SECONDS).until(() -> f.rows() == first.size() + second.size() && f.onQueue(f.queueUrl) == 0);
                assertTrue(!polling.isFailing());
            }
            assertEquals(first.size() + second.size(), distinctUsers(f));
            assertTrue(f.drainDeadLetters().isEmpty());
        }
    }

    private static ConsumptionGate gate(LoginEtl.Running pipeline) {
        return pipeline.context().getRegistry().lookupByNameAndType("consumptionGate", ConsumptionGate.class);
    }

    private static long distinctUsers(Fixture f) throws java.sql.SQLException {
        return f.allRows().stream().map(r -> r.get("user_id")).distinct().count();
    }

    private static long batchesHeldBack(LoginEtl.Running pipeline) {
        return Fixture.stats(pipeline).batchesHeldBack();
    }
}
