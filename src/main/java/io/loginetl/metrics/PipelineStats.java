package io.loginetl.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.loginetl.mapping.LoginMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pipeline has done so far: counters and timings as Micrometer meters ({@code /observe/metrics}), a
 * progress line while busy, a summary when it stops. Counts and durations only: no data, no labels taken from data.
 */
public final class PipelineStats {

    private static final Logger LOG = LoggerFactory.getLogger("io.loginetl.progress");

    private final long startNanos = System.nanoTime();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong batchesNotWritten = new AtomicLong();
    private final DistributionSummary batchSize;
    private final Timer batchWrite;
    private final Timer latency;
    private long lastReported = -1;
    private long lastReportNanos = startNanos;

    /** Counts without publishing (unit tests). */
    public PipelineStats() {
        this(new SimpleMeterRegistry());
    }

    public PipelineStats(MeterRegistry meters) {
        counter(meters, "login_etl_messages_received", "messages received from SQS", received);
        counter(meters, "login_etl_sqs_polls", "ReceiveMessage calls answered, messages or none", polls);
        counter(meters, "login_etl_rows_written", "rows committed to user_logins", written);
        counter(meters, "login_etl_duplicates_skipped", "redelivered messages whose row was already written", duplicates);
        counter(meters, "login_etl_dead_letters", "messages sent to the dead-letter endpoint", deadLettered);
        counter(meters, "login_etl_write_retries", "batch writes retried after a failure", retried);
        counter(meters, "login_etl_batches_held_back", "batches given up on; their messages stay on SQS", batchesNotWritten);
        batchSize = DistributionSummary.builder("login_etl_batch_size").description("rows per committed batch")
                .baseUnit("rows").serviceLevelObjectives(1, 10, 50, 100, 250, 500, 1000, 2500, 5000).register(meters);
        batchWrite = Timer.builder("login_etl_batch_write").description("insert and commit of one batch (its SQS deletes follow in the background)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(meters);
        latency = Timer.builder("login_etl_end_to_end_latency").description("SQS SentTimestamp to the commit of the row")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(meters);
    }

    private static void counter(MeterRegistry meters, String name, String description, AtomicLong value) {
        FunctionCounter.builder(name, value, AtomicLong::get).description(description).register(meters);
    }

    /** A poll brought this many messages. */
    public void received(int messages) {
        polls.incrementAndGet();
        received.addAndGet(messages);
    }

    /**
     * A committed batch: {@code inserted} of its {@code rows} were new, the rest were redeliveries; the write began
     * at {@code startNanos} ({@link System#nanoTime()}).
     */
    public void written(List<Map<String, Object>> rows, int inserted, long startNanos) {
        batchSize.record(rows.size());
        batchWrite.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        long now = System.currentTimeMillis();
        for (Map<String, Object> row : rows) {
            if (row.get(LoginMapper.SENT_AT) instanceof Long sent) {
                latency.record(Math.max(0, now - sent), TimeUnit.MILLISECONDS);
            }
        }
        // the counts last: whoever sees a row counted (bench, progress) finds its latency already recorded
        written.addAndGet(inserted);
        duplicates.addAndGet(rows.size() - inserted);
    }

    public void deadLettered() {
        deadLettered.incrementAndGet();
    }

    public void retried() {
        retried.incrementAndGet();
    }

    public void batchNotWritten() {
        batchesNotWritten.incrementAndGet();
    }

    public long polls() {
        return polls.get();
    }

    public long received() {
        return received.get();
    }

    public long written() {
        return written.get();
    }

    public long duplicatesSkipped() {
        return duplicates.get();
    }

    public long deadLetters() {
        return deadLettered.get();
    }

    public long batchesHeldBack() {
        return batchesNotWritten.get();
    }

    /** Committed batches so far. */
    public long batches() {
        return batchSize.count();
    }

    /** Logs a progress line when something happened since the last one. */
    public synchronized void logProgress() {
        long done = written.get() + duplicates.get() + deadLettered.get();
        long now = System.nanoTime();
        if (done != lastReported) {
            double seconds = Math.max(1e-9, (now - lastReportNanos) / 1e9);
            long delta = lastReported < 0 ? done : done - lastReported;
            LOG.info("progress: {} rows written, {} redeliveries skipped, {} dead letters, {} batches held back ({} messages/s)",
                    written.get(), duplicates.get(), deadLettered.get(), batchesNotWritten.get(), Math.round(delta / seconds));
            lastReported = done;
        }
        lastReportNanos = now;
    }

    public void logSummary() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        LOG.info("summary: {} messages received, {} rows written, {} redeliveries skipped, {} dead letters, {} retries, "
                        + "{} batches held back, in {} s", received.get(), written.get(), duplicates.get(),
                deadLettered.get(), retried.get(), batchesNotWritten.get(), Math.round(seconds));
    }
}
