package io.loginetl.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import io.loginetl.demo.EmbeddedServers;
import io.loginetl.demo.SampleLogins;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Warms the SQS server before anything is timed, in rounds of sent and drained messages, until it is warm: a server
 * that runs on a JVM (ElasticMQ) compiles its request paths only after thousands of requests, and would otherwise
 * still be compiling, on the same cores, while the pipeline (timed first) runs, and be warm for the drain.
 * <p>
 * When the server runs in this JVM (the embedded one), warm means a round in which this JVM compiled less than
 * {@link #SETTLED_MILLIS}; for a server elsewhere, whose compiler cannot be seen, a round whose drain was no more than
 * 5% faster than the best before it. At most {@link #MAX_ROUNDS} rounds either way.
 */
final class ServerWarmUp {

    static final int MAX_ROUNDS = 8;
    static final long SETTLED_MILLIS = 300;

    /** What the warm-up did, for the bench's report. */
    record Result(int rounds, long messages, double seconds, boolean settled, List<String> perRound) {

        String describe() {
            return "%,d messages sent and drained in %d rounds, %.1f s (not timed); %s: %s".formatted(messages, rounds,
                    seconds, settled ? "warm" : "still warming after " + MAX_ROUNDS + " rounds", String.join(", ", perRound));
        }
    }

    private ServerWarmUp() {
    }

    /**
     * Warms the server on a queue of its own, removed afterwards.
     *
     * @param inThisJvm the server runs in this JVM, so its compilation time is this JVM's
     * @param load      sends bodies to a queue (the bench's own sender)
     */
    static Result run(SqsClient sqs, String queueName, int threads, int roundSize, boolean inThisJvm, Loader load)
            throws Exception {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        boolean jit = inThisJvm && compiler != null && compiler.isCompilationTimeMonitoringSupported();
        String queue = EmbeddedServers.createQueue(sqs, queueName, 300);
        try {
            List<String> perRound = new ArrayList<>();
            long start = System.nanoTime();
            double bestRate = 0;
            long compiledBefore = jit ? compiler.getTotalCompilationTime() : 0;
            for (int round = 1; ; round++) {
                load.load(queue, SampleLogins.generate(roundSize, round));
                BareDrain.Result drained = BareDrain.drain(sqs, queue, roundSize, threads);
                boolean settled;
                if (jit) {
                    long compiled = compiler.getTotalCompilationTime();
                    perRound.add("compiled %.1f s".formatted((compiled - compiledBefore) / 1000.0));
                    settled = round >= 2 && compiled - compiledBefore < SETTLED_MILLIS;
                    compiledBefore = compiled;
                } else {
                    double rate = drained.rate();
                    perRound.add("%,.0f/s".formatted(rate));
                    settled = round >= 2 && rate <= bestRate * 1.05;
                    bestRate = Math.max(bestRate, rate);
                }
                if (settled || round == MAX_ROUNDS) {
                    return new Result(round, (long) round * roundSize, (System.nanoTime() - start) / 1e9, settled,
                            List.copyOf(perRound));
                }
            }
        } finally {
            sqs.deleteQueue(b -> b.queueUrl(queue));
        }
    }

    /** Sends bodies to a queue. */
    @FunctionalInterface
    interface Loader {
        void load(String queueUrl, List<String> bodies) throws Exception;
    }
}
