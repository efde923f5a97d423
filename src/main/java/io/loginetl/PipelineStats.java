package io.loginetl;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the pipeline has done so far: a progress line while busy, a summary when it stops. Counts only, no data. */
public final class PipelineStats {

    private static final Logger LOG = LoggerFactory.getLogger("io.loginetl.progress");

    private final long startNanos = System.nanoTime();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong batchesNotWritten = new AtomicLong();
    private long lastReported = -1;
    private long lastReportNanos = startNanos;

    /** A committed batch: {@code inserted} of its {@code rows} were new, the rest were redeliveries. */
    public void written(int rows, int inserted) {
        written.addAndGet(inserted);
        duplicates.addAndGet(rows - inserted);
    }

    public long duplicatesSkipped() {
        return duplicates.get();
    }

    public void deadLettered() {
        deadLettered.incrementAndGet();
    }

    public void batchNotWritten() {
        batchesNotWritten.incrementAndGet();
    }

    public long written() {
        return written.get();
    }

    public long deadLetters() {
        return deadLettered.get();
    }

    public long batchesHeldBack() {
        return batchesNotWritten.get();
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
        LOG.info("summary: {} rows written, {} redeliveries skipped, {} dead letters, {} batches held back, in {} s",
                written.get(), duplicates.get(), deadLettered.get(), batchesNotWritten.get(), Math.round(seconds));
    }
}
