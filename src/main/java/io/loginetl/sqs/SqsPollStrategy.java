package io.loginetl.sqs;

import java.util.concurrent.atomic.AtomicBoolean;

import io.loginetl.metrics.PipelineStats;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the messages each poll brings, and says once that polling SQS fails (unreachable, throttled, the queue gone) and once that it works again.
 * The consumer's {@code backoffErrorThreshold}/{@code backoffMultiplier} space out the attempts meanwhile.
 */
public final class SqsPollStrategy implements PollingConsumerPollStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(SqsPollStrategy.class);

    private final PipelineStats stats;
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile long failingSinceNanos;

    public SqsPollStrategy(PipelineStats stats) {
        this.stats = stats;
    }

    public boolean isFailing() {
        return failing.get();
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        stats.received(polledMessages);
        if (failing.compareAndSet(true, false)) {
            LOG.info("polling SQS works again after {} s", Math.round((System.nanoTime() - failingSinceNanos) / 1e9));
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        if (failing.compareAndSet(false, true)) {
            failingSinceNanos = System.nanoTime();
            LOG.warn("polling SQS fails ({}); retrying with back-off, messages wait on the queue", kind(cause));
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
