package io.loginetl.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

import io.loginetl.demo.EmbeddedServers;
import io.loginetl.demo.SampleLogins;
import io.loginetl.demo.SqsQueues;
import io.loginetl.sqs.SqsClients;
import org.elasticmq.rest.sqs.SQSRestServer;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The pieces of the by-hand run (BENCHMARKS.md, "By hand"), each a process of its own so that the jar runs on servers
 * it did not start, as in production: {@code sqs-server} (ElasticMQ, and a proxy that delays every byte), {@code load}
 * (generated logins onto a queue) and {@code drain} (the bench's bare drain, the reference). {@code load} and
 * {@code drain} reach SQS as the jar does: SQS_ENDPOINT, SQS_QUEUE, AWS_REGION and the AWS credentials.
 */
public final class ByHandCommands {

    public static final String USAGE = """
              sqs-server   [--port P] [--delay MS]: an SQS server (ElasticMQ) on 127.0.0.1:P (default 9324) with the
                           queues login-queue and login-queue-dlq, and with --delay a proxy on P+1 that adds MS
                           milliseconds each way; runs until stopped
              load         [--messages N]: N generated logins (default 20,000) onto SQS_QUEUE
              drain        [--messages N] [--threads T]: receives and deletes N messages (default 20,000) of SQS_QUEUE on
                           T threads (default 32), ReceiveMessage 10 + DeleteMessageBatch, and prints the rate
            """;

    private final PrintStream out;

    public ByHandCommands(PrintStream out) {
        this.out = out;
    }

    /** Runs {@code args[0]} (sqs-server, load or drain) with its options; returns the exit code. */
    public int run(String[] args) throws Exception {
        Map<String, Integer> options = options(args, switch (args[0]) {
            case "sqs-server" -> Map.of("--port", 9324, "--delay", 0);
            case "load" -> Map.of("--messages", 20_000);
            case "drain" -> Map.of("--messages", 20_000, "--threads", 32);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        });
        return switch (args[0]) {
            case "sqs-server" -> sqsServer(options.get("--port"), options.get("--delay"));
            case "load" -> load(options.get("--messages"));
            default -> drain(options.get("--messages"), options.get("--threads"));
        };
    }

    private int sqsServer(int port, int delayMillis) throws Exception {
        SQSRestServer server = EmbeddedServers.startSqs(port);
        try (SqsClient sqs = SqsClients.create("http://127.0.0.1:" + port, EmbeddedServers.REGION, EmbeddedServers.ACCESS_KEY,
                EmbeddedServers.SECRET_KEY)) {
            EmbeddedServers.createQueue(sqs, "login-queue", 60);
            EmbeddedServers.createQueue(sqs, "login-queue-dlq", 60);
        }
        out.printf("sqs-server: SQS_ENDPOINT=http://127.0.0.1:%d (queues login-queue, login-queue-dlq; any credentials)%n", port);
        DelayProxy proxy = delayMillis > 0 ? new DelayProxy("127.0.0.1", port, delayMillis, port + 1) : null;
        if (proxy != null) {
            out.printf("sqs-server: SQS_ENDPOINT=http://127.0.0.1:%d is the same server, %d ms each way%n", proxy.port(), delayMillis);
        }
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (proxy != null) {
                    proxy.close();
                }
            } catch (java.io.IOException e) {
                // stopping anyway
            }
            server.stopAndWait();
            stopped.countDown();
        }, "sqs-server-stop"));
        stopped.await();
        return 0;
    }

    private int load(int messages) throws Exception {
        try (SqsClient sqs = SqsClients.fromEnvironment()) {
            String url = queueUrl(sqs);
            List<String> bodies = SampleLogins.generate(messages, System.nanoTime());
            long start = System.nanoTime();
            BenchCommand.load(sqs, url, bodies);
            out.printf("load: %,d messages onto %s in %.1f s; on the queue now: %,d%n", messages, url,
                    (System.nanoTime() - start) / 1e9, SqsQueues.count(sqs, url));
        }
        return 0;
    }

    private int drain(int messages, int threads) throws Exception {
        try (SqsClient sqs = SqsClients.fromEnvironment()) {
            BareDrain.Result r = BareDrain.drain(sqs, queueUrl(sqs), messages, threads);
            out.printf("drain: %,d messages, %,.0f messages/s from the first delete to the last (%d threads)%n", r.messages(),
                    r.rate(), threads);
        }
        return 0;
    }

    private static String queueUrl(SqsClient sqs) {
        String queue = System.getenv().getOrDefault("SQS_QUEUE", "login-queue");
        return sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
    }

    private static Map<String, Integer> options(String[] args, Map<String, Integer> defaults) {
        Map<String, Integer> options = new TreeMap<>(defaults);
        for (int i = 1; i < args.length; i += 2) {
            if (!defaults.containsKey(args[i])) {
                throw new IllegalArgumentException(args[0] + " takes " + String.join(", ", options.keySet()) + ", not " + args[i]);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[0] + ": " + args[i] + " needs a value");
            }
            int value = Integer.parseInt(args[i + 1].replace("_", ""));
            if (value < (args[i].equals("--delay") ? 0 : 1)) {
                throw new IllegalArgumentException(args[0] + ": " + args[i] + " must be at least " + (args[i].equals("--delay") ? 0 : 1));
            }
            options.put(args[i], value);
        }
        return options;
    }
}
