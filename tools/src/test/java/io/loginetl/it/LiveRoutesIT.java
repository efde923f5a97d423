package io.loginetl.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.loginetl.LoginEtl;
import io.loginetl.metrics.PipelineStats;
import io.loginetl.routes.ErrorHandling;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/** With route reload on, an edited route file takes effect in the running pipeline, without a restart. */
class LiveRoutesIT {

    @Test
    void anEditedRouteFileChangesTheBatchSizeAndAddsAStepWithoutARestart(@TempDir Path routes) throws Exception {
        Path ingest = routes.resolve("ingest.camel.yaml");
        Files.copy(Path.of("routes/ingest.camel.yaml"), ingest);
        try (Fixture f = new Fixture()) {
            Properties settings = f.settings();
            settings.setProperty("batch.size", "500");
            settings.setProperty("batch.timeout", "2000");
            settings.setProperty("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");
            settings.setProperty("camel.main.routes-reload-enabled", "true");
            settings.setProperty("camel.main.routes-reload-directory", routes.toString());
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                PipelineStats stats = Fixture.stats(pipeline);
                f.send(Fixture.logins("before", 20));
                await().atMost(60, SECONDS).until(() -> f.rows() == 20);
                Route before = pipeline.context().getRoute("login-ingest");

                // the edit: batches of 5, and logins from test devices rejected (to the dead-letter queue, with a reason)
                String route = Files.readString(ingest);
                String edited = route
                        .replace("completionSize: \"{{batch.size}}\"", "completionSize: 5")
                        .replace("        - process:\n            ref: piiMasker", String.join("\n",
                                "        - choice:",
                                "            when:",
                                "              - simple: \"${body[device_type]} == 'test'\"",
                                "                steps:",
                                "                  - throwException:",
                                "                      exceptionType: io.loginetl.mapping.InvalidLoginException",
                                "                      message: logins from test devices are not kept",
                                "        - process:",
                                "            ref: piiMasker"));
                assertTrue(!edited.equals(route) && edited.contains("completionSize: 5") && edited.contains("test devices"),
                        "the edit did not apply to routes/ingest.camel.yaml");
                // saved as editors do, in one step (a file truncated and then written is read empty once: Camel skips it)
                Path saved = Files.writeString(routes.resolve("ingest.camel.yaml.tmp"), edited);
                Files.move(saved, ingest, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                await().atMost(60, SECONDS).until(() -> {
                    Route now = pipeline.context().getRoute("login-ingest");
                    return now != null && now != before
                            && pipeline.context().getRouteController().getRouteStatus("login-ingest") == ServiceStatus.Started;
                });

                long batchesBefore = stats.batches();
                List<String> bodies = new ArrayList<>(Fixture.logins("after", 20));
                bodies.add("{\"user_id\":\"tester-1\",\"device_type\":\"test\",\"ip\":\"10.9.9.9\"}");
                bodies.add("{\"user_id\":\"tester-2\",\"device_type\":\"test\"}");
                f.send(bodies);
                await().atMost(60, SECONDS).until(() -> f.rows() == 40 && f.onQueue(f.queueUrl) == 0);

                assertTrue(stats.batches() - batchesBefore >= 4, "20 rows in batches of at most 5 take at least 4 batches, took "
                        + (stats.batches() - batchesBefore));
                List<Message> deadLetters = f.drainDeadLetters();
                assertEquals(2, deadLetters.size());
                for (Message m : deadLetters) {
                    assertEquals("logins from test devices are not kept",
                            m.messageAttributes().get(ErrorHandling.ERROR_REASON).stringValue());
                }
            }
        }
    }
}
