package io.loginetl.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.loginetl.demo.SqsQueues;
import io.loginetl.sqs.SqsClients;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The by-hand run's pieces: an SQS server with its delay in a process of its own, logins loaded onto it, drained through the delay. */
class ByHandIT {

    @Test
    void messagesLoadedOntoAnSqsServerStartedApartAreAllDrainedThroughItsDelay() throws Exception {
        int port = portWithFreeNext();
        try (JarProcess server = JarProcess.startTools(Map.of(), Path.of("."), List.of(), "sqs-server", "--port",
                Integer.toString(port), "--delay", "5")) {
            awaitOutput(server, "5 ms each way");
            Map<String, String> direct = Map.of("SQS_ENDPOINT", "http://127.0.0.1:" + port, "AWS_ACCESS_KEY_ID", "x",
                    "AWS_SECRET_ACCESS_KEY", "x");
            Map<String, String> delayed = Map.of("SQS_ENDPOINT", "http://127.0.0.1:" + (port + 1), "AWS_ACCESS_KEY_ID", "x",
                    "AWS_SECRET_ACCESS_KEY", "x");

            JarProcess.Result load = JarProcess.runTools(direct, Path.of("."), 120, "load", "--messages", "300");
            assertEquals(0, load.exit(), load.out() + load.err());
            assertTrue(load.out().contains("on the queue now: 300"), load.out());

            JarProcess.Result drain = JarProcess.runTools(delayed, Path.of("."), 120, "drain", "--messages", "300", "--threads", "4");
            assertEquals(0, drain.exit(), drain.out() + drain.err());
            assertTrue(drain.out().contains("drain: 300 messages"), drain.out());
            try (SqsClient sqs = SqsClients.create("http://127.0.0.1:" + port, "us-east-1", "x", "x")) {
                assertEquals(0, SqsQueues.count(sqs, sqs.getQueueUrl(b -> b.queueName("login-queue")).queueUrl()));
            }
        }
    }

    @Test
    void anUnknownOptionIsRefusedWithTheOptionsItTakes() throws Exception {
        JarProcess.Result drain = JarProcess.runTools(Map.of(), Path.of("."), 60, "drain", "--thread", "4");

        assertEquals(1, drain.exit(), drain.out() + drain.err());
        assertTrue(drain.err().contains("drain takes --messages, --threads, not --thread"), drain.err());
    }

    private static void awaitOutput(JarProcess process, String text) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> process.output().contains(text));
    }

    /** A free port whose next one is free too (the delay's). */
    private static int portWithFreeNext() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = io.loginetl.demo.EmbeddedServers.freePort();
            try (ServerSocket next = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no two free ports side by side");
    }
}
