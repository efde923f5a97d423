package io.loginetl.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

/**
 * Deletes the source messages of a committed batch, ten per {@code DeleteMessageBatch} call. It runs only after the
 * insert has committed: the consumer reads with {@code deleteAfterRead=false}, because Camel's aggregator does not
 * hand the consumer's delete over to the aggregated exchange.
 * <p>
 * The calls run in the background, up to {@link #MAX_CALLS_IN_FLIGHT} at once for all batches together, so a writer
 * hands its batch's deletes over and goes on to the next batch instead of waiting a round trip per call (at a real
 * region's 5 to 20 ms, a batch of 500 is 50 calls). Only when that many calls are in flight does a writer wait for
 * one to end: the messages awaiting deletion stay bounded. {@link #awaitInFlight} lets a stop wait for them.
 * <p>
 * A delete that fails (an expired receipt handle, SQS unreachable) leaves the message to be delivered again, and its
 * redelivery is skipped because its id is already written; that is logged, never thrown.
 */
public final class SqsBatchDeleter {

    /** DeleteMessageBatch calls in flight at once, for all batches together. */
    public static final int MAX_CALLS_IN_FLIGHT = 32;

    private static final Logger LOG = LoggerFactory.getLogger(SqsBatchDeleter.class);
    private static final int MAX_ENTRIES = 10;

    private final SqsClient sqs;
    private final String queueName;
    private final String queueUrl;
    private final Executor calls;
    private final Semaphore inFlight = new Semaphore(MAX_CALLS_IN_FLIGHT);

    /** @param calls runs the DeleteMessageBatch calls, at least {@link #MAX_CALLS_IN_FLIGHT} at once */
    public SqsBatchDeleter(SqsClient sqs, String queueName, String queueUrl, Executor calls) {
        this.sqs = sqs;
        this.queueName = queueName;
        this.queueUrl = queueUrl;
        this.calls = calls;
    }

    /**
     * Starts deleting the messages of committed rows and returns once every call is under way.
     *
     * @return how many messages are being deleted
     */
    public int deleteCommitted(List<Map<String, Object>> rows) {
        for (int from = 0; from < rows.size(); from += MAX_ENTRIES) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(MAX_ENTRIES);
            for (int i = from; i < Math.min(from + MAX_ENTRIES, rows.size()); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .receiptHandle((String) rows.get(i).get("sqs_receipt_handle"))
                        .build());
            }
            // the rows are committed: a writer asked to stop still hands its deletes over
            inFlight.acquireUninterruptibly();
            try {
                calls.execute(() -> {
                    try {
                        deleteChunk(entries);
                    } finally {
                        inFlight.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                // the pool is stopped: the call is made on this thread
                inFlight.release();
                deleteChunk(entries);
            }
        }
        return rows.size();
    }

    /** Waits until no delete is in flight, at most {@code timeoutMillis}; false if some still are. */
    public boolean awaitInFlight(long timeoutMillis) throws InterruptedException {
        if (!inFlight.tryAcquire(MAX_CALLS_IN_FLIGHT, timeoutMillis, TimeUnit.MILLISECONDS)) {
            return false;
        }
        inFlight.release(MAX_CALLS_IN_FLIGHT);
        return true;
    }

    private void deleteChunk(List<DeleteMessageBatchRequestEntry> entries) {
        try {
            DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            if (!response.failed().isEmpty()) {
                LOG.warn("{} of {} committed messages were not deleted from {} ({}); they will be delivered again",
                        response.failed().size(), entries.size(), queueName, response.failed().get(0).code());
            }
        } catch (RuntimeException e) {
            LOG.warn("{} committed messages were not deleted from {} ({}); they will be delivered again",
                    entries.size(), queueName, e.getClass().getSimpleName());
        }
    }
}
