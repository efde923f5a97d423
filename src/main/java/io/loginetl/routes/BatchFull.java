package io.loginetl.routes;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * When a batch of {@link LoginBatches} is written before it has {@code batch.size} rows: once the bodies of its
 * messages reach {@code batch.max-bytes} (each row keeps its body for a possible dead letter, so this bounds the heap
 * under large messages), and at once while Camel stops (the stop then waits for the write instead of leaving the
 * messages to come back). The ingest route's {@code completionPredicate}, asked after every row: a plain predicate,
 * because a {@code simple} expression reading the context's state ({@code ${camelContext.stopping}}) goes through
 * bean introspection for every message, which took a fifth of the pipeline's CPU (BENCHMARKS.md).
 */
public final class BatchFull implements Predicate {

    private final long maxBytes;

    public BatchFull(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean matches(Exchange batch) {
        return batch.getProperty(LoginBatches.BYTES, 0L, Long.class) >= maxBytes || batch.getContext().isStopping();
    }

    @Override
    public String toString() {
        return "batch bodies >= " + maxBytes + " bytes or stopping";
    }
}
