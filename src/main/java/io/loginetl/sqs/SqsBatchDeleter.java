package io.loginetl.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

/**
 * Deletes the source messages of a committed batch, ten per {@code DeleteMessageBatch} call, the calls of a batch
 * side by side (a batch of 500 is 50 calls: one after another they cost more than the insert). It runs only after
 * the insert has committed: the consumer reads with {@code deleteAfterRead=false}, because Camel's aggregator
 * does not hand the consumer's delete over to the aggregated exchange.
 * <p>
 * A delete that fails (an expired receipt handle, SQS unreachable) leaves the message to be delivered again;
 * that is logged, never thrown, because the rows are already committed.
 */
public final class SqsBatchDeleter {

    private static final Logger LOG = LoggerFactory.getLogger(SqsBatchDeleter.class);
    private static final int MAX_ENTRIES = 10;

    private final SqsClient sqs;
    private final String queueName;
    private final String queueUrl;
    private final Executor calls;

    /** @param calls runs the DeleteMessageBatch calls of one batch side by side */
    public SqsBatchDeleter(SqsClient sqs, String queueName, String queueUrl, Executor calls) {
        this.sqs = sqs;
        this.queueName = queueName;
        this.queueUrl = queueUrl;
        this.calls = calls;
    }

    /** @return how many messages were deleted */
    public int deleteCommitted(List<Map<String, Object>> rows) {
        List<CompletableFuture<Integer>> chunks = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += MAX_ENTRIES) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(MAX_ENTRIES);
            for (int i = from; i < Math.min(from + MAX_ENTRIES, rows.size()); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .receiptHandle((String) rows.get(i).get("sqs_receipt_handle"))
                        .build());
            }
            chunks.add(CompletableFuture.supplyAsync(() -> deleteChunk(entries), calls));
        }
        // every call ends (deleteChunk never throws), so the batch's deletes are over when this returns
        return chunks.stream().mapToInt(CompletableFuture::join).sum();
    }

    private int deleteChunk(List<DeleteMessageBatchRequestEntry> entries) {
        try {
            DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            if (!response.failed().isEmpty()) {
                LOG.warn("{} of {} committed messages were not deleted from {} ({}); they will be delivered again",
                        response.failed().size(), entries.size(), queueName, response.failed().get(0).code());
            }
            return response.successful().size();
        } catch (RuntimeException e) {
            LOG.warn("{} committed messages were not deleted from {} ({}); they will be delivered again",
                    entries.size(), queueName, e.getClass().getSimpleName());
            return 0;
        }
    }
}
