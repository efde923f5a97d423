package io.loginetl.routes;

import java.sql.Connection;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.loginetl.db.SqlErrors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops polling SQS while the database cannot take writes, so an outage costs neither memory nor a busy loop:
 * the messages wait on the queue. While closed it probes the database with exponential back-off and jitter,
 * and reopens by itself. It logs once when it closes and once when it reopens.
 */
public final class ConsumptionGate {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumptionGate.class);
    private static final long FIRST_PROBE_MS = 1_000;
    private static final long MAX_PROBE_MS = 30_000;

    private final CamelContext context;
    private final DataSource dataSource;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long closedAtNanos;

    public ConsumptionGate(CamelContext context, DataSource dataSource, ScheduledExecutorService scheduler) {
        this.context = context;
        this.dataSource = dataSource;
        this.scheduler = scheduler;
    }

    public boolean isClosed() {
        return closed.get();
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /** The writer gave up on a batch for a reason that is not the data's: pause consumption until the database answers. */
    public void databaseUnavailable(Throwable cause) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closedAtNanos = System.nanoTime();
        suspendConsumer(true);
        LOG.warn("the database cannot take writes ({}); polling SQS is paused until it answers", SqlErrors.describe(cause));
        schedule(FIRST_PROBE_MS);
    }

    private void probe(long delayMs) {
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(5) && !c.isReadOnly()) {
                suspendConsumer(false);
                closed.set(false);
                LOG.info("the database answers again after {} s; polling SQS resumed",
                        Math.round((System.nanoTime() - closedAtNanos) / 1e9));
                return;
            }
        } catch (Exception e) {
            // still down: try again later
        }
        schedule(Math.min(delayMs * 2, MAX_PROBE_MS));
    }

    private void schedule(long delayMs) {
        long jittered = delayMs / 2 + ThreadLocalRandom.current().nextLong(delayMs / 2 + 1);
        try {
            scheduler.schedule(() -> probe(delayMs), jittered, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    /** The ingest route: whatever its id (a template instance, a reloaded file), it uses the ingest route configuration. */
    private void suspendConsumer(boolean suspend) {
        for (Route route : context.getRoutes()) {
            if (!ErrorHandling.INGEST.equals(route.getConfigurationId()) || route.getConsumer() == null) {
                continue;
            }
            try {
                if (suspend) {
                    ServiceHelper.suspendService(route.getConsumer());
                } else {
                    ServiceHelper.resumeService(route.getConsumer());
                }
            } catch (Exception e) {
                LOG.warn("could not {} the consumer of {} ({})", suspend ? "suspend" : "resume", route.getRouteId(),
                        e.getClass().getSimpleName());
            }
        }
    }
}
