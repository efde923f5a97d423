package io.loginetl.sqs;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.loginetl.metrics.PipelineStats;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which of the consumer's threads poll SQS, so the number of ReceiveMessage calls in flight follows the
 * backlog: a poll that comes back full (the queue holds more than the pollers take) lets one more thread poll, up to
 * {@code sqs.consumers}; a poll that comes back short or empty lets one fewer, down to one. At a real region's round
 * trip a backlog is drained by many calls in flight, while an idle queue costs one long poll at a time. The other
 * threads skip their turn (no call) and ask again after the consumer's delay. No poll begins while every batch writer
 * is busy and one more batch waits (back-pressure: the messages wait on the queue, not in the heap).
 * <p>
 * It also counts the messages each poll brings, and says once that polling SQS fails (unreachable, throttled, the
 * queue gone) and once that it works again; while it fails, one poll is tried every {@value #RETRY_SECONDS} s.
 */
public final class SqsPollStrategy implements PollingConsumerPollStrategy {

    static final long RETRY_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(SqsPollStrategy.class);

    private final PipelineStats stats;
    private final int maxPollers;
    private final int fullPoll;
    private final BooleanSupplier writersBusy;
    private final AtomicInteger polling = new AtomicInteger();
    private final AtomicInteger pollers = new AtomicInteger(1);
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile long failingSinceNanos;
    private volatile long retryAtNanos;

    /**
     * @param maxPollers the most polls at once ({@code sqs.consumers}, the consumer's threads)
     * @param fullPoll   the messages a poll asks for ({@code sqs.max-messages-per-poll})
     * @param writersBusy whether every batch writer is busy and one more batch waits
     */
    public SqsPollStrategy(PipelineStats stats, int maxPollers, int fullPoll, BooleanSupplier writersBusy) {
        this.stats = stats;
        this.writersBusy = writersBusy;
        this.maxPollers = Math.max(1, maxPollers);
        this.fullPoll = Math.max(1, fullPoll);
    }

    /**
     * The most polls at once: {@code sqs.consumers}, or fewer when that many polls of the largest messages the queue
     * takes would hold more than a quarter of the heap.
     */
    public static int ceiling(int consumers, int messagesPerPoll, long maxMessageBytes, long heapBytes) {
        long pollBytes = Math.max(1, (long) messagesPerPoll * maxMessageBytes);
        return (int) Math.max(1, Math.min(consumers, heapBytes / 4 / pollBytes));
    }

    public boolean isFailing() {
        return failing.get();
    }

    /** Threads allowed to poll at once now. */
    public int pollers() {
        return pollers.get();
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        if ((failing.get() && System.nanoTime() - retryAtNanos < 0) || writersBusy.getAsBoolean()) {
            return false;
        }
        if (polling.incrementAndGet() > pollers.get()) {
            polling.decrementAndGet();
            return false;
        }
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        polling.decrementAndGet();
        if (polledMessages >= fullPoll) {
            pollers.getAndUpdate(p -> Math.min(maxPollers, p + 1));
        } else {
            pollers.getAndUpdate(p -> Math.max(1, p - 1));
        }
        stats.received(polledMessages);
        if (failing.compareAndSet(true, false)) {
            LOG.info("polling SQS works again after {} s", Math.round((System.nanoTime() - failingSinceNanos) / 1e9));
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        polling.decrementAndGet();
        pollers.set(1);
        retryAtNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(RETRY_SECONDS);
        if (failing.compareAndSet(false, true)) {
            failingSinceNanos = System.nanoTime();
            LOG.warn("polling SQS fails ({}); retrying every {} s, messages wait on the queue", kind(cause), RETRY_SECONDS);
        }
        return false;
    }

    private static String kind(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == cause ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + root.getClass().getSimpleName();
    }
}
