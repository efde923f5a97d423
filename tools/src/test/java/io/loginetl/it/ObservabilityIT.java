package io.loginetl.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.loginetl.LoginEtl;
import org.junit.jupiter.api.Test;

/** {@code /observe/health} and {@code /observe/metrics} of a running pipeline, on the real servers. */
class ObservabilityIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void metricsCountWhatThePipelineDidAndHoldNoRawValues() throws Exception {
        try (Fixture f = new Fixture()) {
            Properties settings = f.settings();
            String base = "http://127.0.0.1:" + settings.getProperty("camel.management.port");
            List<String> bodies = new ArrayList<>(Fixture.logins("obs", 40));
            bodies.add("{\"foo\":\"oops\",\"bar\":\"123\"}");
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                f.send(bodies);
                await().atMost(60, SECONDS).until(() -> f.rows() == 40 && f.onQueue(f.queueUrl) == 0);
                String metrics = await().atMost(30, SECONDS).until(() -> get(base + "/observe/metrics").body(),
                        m -> value(m, "login_etl_dead_letters_total") == 1 && value(m, "login_etl_messages_received_total") == 41);

                assertEquals(40, value(metrics, "login_etl_rows_written_total"));
                assertEquals(0, value(metrics, "login_etl_duplicates_skipped_total"));
                assertEquals(0, value(metrics, "login_etl_write_retries_total"));
                assertEquals(40, value(metrics, "login_etl_batch_size_rows_sum"));
                assertTrue(value(metrics, "login_etl_batch_size_rows_count") >= 1);
                assertTrue(value(metrics, "login_etl_batch_write_seconds_count") >= 1);
                assertEquals(40, value(metrics, "login_etl_end_to_end_latency_seconds_count"));
                assertTrue(metrics.contains("login_etl_queue_messages "), "no queue depth gauge");
                assertTrue(metrics.contains("camel_exchanges_total"), "Camel's own route metrics are missing");
                assertTrue(metrics.contains("jvm_memory_used_bytes{area=\"heap\""), "the JVM's heap metrics are missing");
                assertTrue(metrics.contains("jvm_gc_max_data_size_bytes"), "the JVM's GC metrics are missing"); // registered at start, unlike the pause timer
                // no ip (10.3.x.y) and no user id of the test in any label or value
                assertFalse(metrics.contains("10.3."), "a raw ip is in the metrics");
                assertFalse(metrics.contains("obs-00"), "a user id is in the metrics");
            }
        }
    }

    @Test
    void readyOnlyWhileTheDatabaseAnswersAndLiveThroughout() throws Exception {
        try (Fixture f = new Fixture()) {
            Properties settings = f.settings();
            String base = "http://127.0.0.1:" + settings.getProperty("camel.management.port");
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                await().atMost(30, SECONDS).until(() -> get(base + "/observe/health/ready").statusCode() == 200);
                assertEquals(200, get(base + "/observe/health/live").statusCode());
                String health = get(base + "/observe/health").body();
                assertTrue(health.contains("\"UP\""), health);

                f.servers.stopPostgres();
                try {
                    HttpResponse<String> ready = await().atMost(30, SECONDS)
                            .until(() -> get(base + "/observe/health/ready"), r -> r.statusCode() == 503);
                    assertTrue(ready.body().contains("login-etl-database"), ready.body());
                    assertEquals(200, get(base + "/observe/health/live").statusCode(), "a database outage is no reason to restart");
                } finally {
                    f.servers.startPostgres();
                }
                await().atMost(30, SECONDS).until(() -> get(base + "/observe/health/ready").statusCode() == 200);
            }
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of an unlabelled sample (or the sum over its label sets) in Prometheus text. */
    static double value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(metrics);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
            found = true;
        }
        if (!found) {
            throw new AssertionError("no " + name + " in\n" + metrics);
        }
        return sum;
    }
}
