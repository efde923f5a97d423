package io.loginetl;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the pipeline has done so far: a progress line while busy, a summary when it stops. Counts only, no data. */
public final class PipelineStats {

    private static final Logger LOG = LoggerFactory.getLogger("io.loginetl.progress");

    private final long startNanos = System.nanoTime();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong batchesNotWritten = new AtomicLong();
    private long lastReported = -1;
    private long lastReportNanos = startNanos;

    public void written(int rows) {
        written.addAndGet(rows);
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
        long done = written.get() + deadLettered.get();
        long now = System.nanoTime();
        if (done != lastReported) {
            double seconds = Math.max(1e-9, (now - lastReportNanos) / 1e9);
            long delta = lastReported < 0 ? done : done - lastReported;
            LOG.info("progress: {} rows written, {} dead letters, {} batches held back for retry ({} messages/s)",
                    written.get(), deadLettered.get(), batchesNotWritten.get(), Math.round(delta / seconds));
            lastReported = done;
        }
        lastReportNanos = now;
    }

    public void logSummary() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        LOG.info("summary: {} rows written, {} dead letters, {} batches held back for retry, in {} s",
                written.get(), deadLettered.get(), batchesNotWritten.get(), Math.round(seconds));
    }
}
