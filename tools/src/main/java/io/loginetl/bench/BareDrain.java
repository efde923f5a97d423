package io.loginetl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.loginetl.sqs.SqsClients;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The baseline the pipeline is held against: nothing but the SQS calls it cannot do without, ReceiveMessage of 10
 * and DeleteMessageBatch, on as many threads as the pipeline has consumers, with the pipeline's SQS client. The
 * bench runs it in a JVM of its own, with the pipeline's JVM options, so both start equally cold.
 */
public final class BareDrain {

    private BareDrain() {
    }

    /** What a drain did: messages deleted and the time from the first delete to the last. */
    public record Result(long messages, long firstBatch, long firstDeleteNanos, long lastDeleteNanos) {

        /** Messages per second after the first batch, the way the pipeline's rate is taken (first to last commit). */
        public double rate() {
            double seconds = Math.max(1e-3, (lastDeleteNanos - firstDeleteNanos) / 1e9);
            return (messages - firstBatch) / seconds;
        }
    }

    /** Receives and deletes until {@code messages} are gone (or, with {@code messages} ≤ 0, until the queue is empty). */
    public static Result drain(SqsClient sqs, String queueUrl, long messages, int threads) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong firstBatch = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    int empty = 0;
                    while (messages <= 0 || done.get() < messages) {
                        List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                                .messages();
                        if (got.isEmpty()) {
                            if (messages <= 0 && ++empty >= 2) {
                                return null;
                            }
                            continue;
                        }
                        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(got.size());
                        for (int i = 0; i < got.size(); i++) {
                            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                                    .receiptHandle(got.get(i).receiptHandle()).build());
                        }
                        sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
                        long now = System.nanoTime();
                        if (first.compareAndSet(0, now)) {
                            firstBatch.set(got.size());
                        }
                        last.accumulateAndGet(now, Math::max);
                        done.addAndGet(got.size());
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(done.get(), firstBatch.get(), first.get(), last.get());
    }

    /**
     * {@code java -cp login-etl.jar io.loginetl.bench.BareDrain QUEUE_URL MESSAGES THREADS}, with the SQS of
     * SQS_ENDPOINT, AWS_REGION and the AWS credentials; prints {@code drained N first-batch F seconds S}.
     */
    public static void main(String[] args) throws Exception {
        try (SqsClient sqs = SqsClients.fromEnvironment()) {
            Result r = drain(sqs, args[0], Long.parseLong(args[1]), Integer.parseInt(args[2]));
            System.out.printf("drained %d first-batch %d seconds %.6f%n", r.messages(), r.firstBatch(),
                    (r.lastDeleteNanos() - r.firstDeleteNanos()) / 1e9);
        }
    }
}
