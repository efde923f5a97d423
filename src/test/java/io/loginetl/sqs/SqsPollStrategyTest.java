package io.loginetl.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.loginetl.metrics.PipelineStats;
import org.junit.jupiter.api.Test;

class SqsPollStrategyTest {

    private final PipelineStats stats = new PipelineStats();
    private final AtomicBoolean writersBusy = new AtomicBoolean();
    private final SqsPollStrategy strategy = new SqsPollStrategy(stats, 4, 10, writersBusy::get);

    @Test
    void startsWithOnePollAtATimeAndTheOtherThreadsSkipTheirTurn() {
        assertTrue(strategy.begin(null, null));
        assertFalse(strategy.begin(null, null));
        strategy.commit(null, null, 3);
        assertTrue(strategy.begin(null, null), "the poll ended, so another may begin");
    }

    @Test
    void fullPollsAddPollersUpToSqsConsumersAndShortOnesTakeThemAway() {
        for (int i = 0; i < 10; i++) {
            assertTrue(strategy.begin(null, null));
            strategy.commit(null, null, 10);
        }
        assertEquals(4, strategy.pollers(), "never more than sqs.consumers");
        for (int i = 0; i < 4; i++) {
            assertTrue(strategy.begin(null, null), "poll " + i + " of 4 at once");
        }
        assertFalse(strategy.begin(null, null), "a fifth poll at once");
        for (int i = 0; i < 4; i++) {
            strategy.commit(null, null, 0);
        }
        assertEquals(1, strategy.pollers(), "an idle queue is polled once at a time");
        assertEquals(100, stats.received());
        assertEquals(14, stats.polls());
    }

    @Test
    void aFailedPollLeavesOnePollerAndTheNextTryWaitsTheRetryInterval() {
        for (int i = 0; i < 3; i++) {
            strategy.begin(null, null);
            strategy.commit(null, null, 10);
        }
        assertTrue(strategy.begin(null, null));
        strategy.rollback(null, null, 0, new IOException("unreachable"));
        assertTrue(strategy.isFailing());
        assertEquals(1, strategy.pollers());
        assertFalse(strategy.begin(null, null), "retried before " + SqsPollStrategy.RETRY_SECONDS + " s");
    }

    @Test
    void noPollBeginsWhileEveryWriterIsBusyAndABatchWaits() {
        writersBusy.set(true);
        assertFalse(strategy.begin(null, null));
        writersBusy.set(false);
        assertTrue(strategy.begin(null, null));
    }

    @Test
    void pollsOfTheQueuesLargestMessagesAreKeptToAQuarterOfTheHeap() {
        long heap = 256L << 20;
        assertEquals(32, SqsPollStrategy.ceiling(32, 10, 1_024, heap), "small messages: sqs.consumers");
        assertEquals(25, SqsPollStrategy.ceiling(32, 10, 262_144, heap), "64 MiB / 2.5 MiB a poll");
        assertEquals(6, SqsPollStrategy.ceiling(32, 10, 1_048_576, heap), "64 MiB / 10 MiB a poll");
        assertEquals(1, SqsPollStrategy.ceiling(32, 10, 1_048_576, 16L << 20), "always one poll");
    }
}
