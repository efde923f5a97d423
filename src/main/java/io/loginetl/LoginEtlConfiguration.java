package io.loginetl;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.loginetl.db.UserLoginsTable;
import io.loginetl.db.WrittenMessages;
import io.loginetl.mapping.JsonFlattener;
import io.loginetl.mapping.LoginJson;
import io.loginetl.mapping.LoginMapper;
import io.loginetl.mapping.MessageSizeLimit;
import io.loginetl.masking.PiiMasker;
import io.loginetl.metrics.PipelineStats;
import io.loginetl.routes.BatchFull;
import io.loginetl.routes.ConsumptionGate;
import io.loginetl.routes.DeadLetterFit;
import io.loginetl.sqs.SqsBatchDeleter;
import io.loginetl.sqs.SqsClients;
import io.loginetl.sqs.SqsPollStrategy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.ThreadPoolBuilder;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Every bean of the pipeline, built from the settings in {@code application.properties} (each one fed by the
 * contract's environment variable). The defaults are written there once: the packaged copy
 * ({@link LoginEtl#SETTINGS}) gives every key a value. A missing or wrong setting stops startup with a {@link ConfigurationException}
 * naming the variable.
 */
public class LoginEtlConfiguration implements CamelConfiguration {

    /** The bean name under which Camel's micrometer support looks for its registry. */
    private static final String METRICS_REGISTRY = "metricsRegistry";

    @PropertyInject("sqs.endpoint")
    String sqsEndpoint;
    @PropertyInject("sqs.queue")
    String sqsQueue;
    @PropertyInject("sqs.dead-letter-queue")
    String sqsDeadLetterQueue;
    @PropertyInject("aws.region")
    String awsRegion;
    @PropertyInject("aws.access-key")
    String awsAccessKeyId;
    @PropertyInject("aws.secret-key")
    String awsSecretAccessKey;
    @PropertyInject("db.url")
    String dbUrl;
    @PropertyInject("db.user")
    String dbUser;
    @PropertyInject("db.password")
    String dbPassword;
    @PropertyInject("db.pool-size")
    int dbPoolSize;
    @PropertyInject("db.connection-timeout")
    long dbConnectionTimeout;
    @PropertyInject("db.migrate")
    boolean dbMigrate;
    @PropertyInject("pii.masking.secret")
    String maskingKey;
    @PropertyInject("pii.vault.secret")
    String vaultKey;
    @PropertyInject("log.level")
    String logLevel;
    @PropertyInject("log.format")
    String logFormat;
    @PropertyInject("progress.interval")
    long progressInterval;
    @PropertyInject("sqs.consumers")
    int sqsConsumers;
    @PropertyInject("sqs.max-messages-per-poll")
    int maxMessagesPerPoll;
    @PropertyInject("sqs.visibility-timeout")
    long visibilityTimeoutSeconds;
    @PropertyInject("batch.timeout")
    long batchTimeoutMs;
    @PropertyInject("db.retry.max-redeliveries")
    int maxRedeliveries;
    @PropertyInject("db.retry.initial-delay")
    long retryInitialDelayMs;
    @PropertyInject("db.retry.max-delay")
    long retryMaxDelayMs;
    @PropertyInject("message.max-receives")
    int messageMaxReceives;
    @PropertyInject("batch.max-bytes")
    long batchMaxBytes;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LoginEtlConfiguration.class);

    /** How often readiness (SQS, database) and the queue depth are asked. */
    static final long HEALTH_INTERVAL_SECONDS = 5;

    /** Embedded in another application (LoginEtlTemplate): its logging is its own, leave it alone. */
    boolean embedded;

    // The route's first steps: beans that need nothing but their settings, bound by Camel before configure() runs.
    // Those below need an order (logging first, then the secrets, the pool, SQS) and close what they opened when a
    // later check fails, so configure() makes them.

    /** The size limit, the ingest route's first step ({@code message.max-bytes}). */
    @BindToRegistry("messageSizeLimit")
    public MessageSizeLimit messageSizeLimit(@PropertyInject("message.max-bytes") int maxBytes) {
        StartupChecks.requirePositive("message.max-bytes", maxBytes);
        return new MessageSizeLimit(maxBytes);
    }

    /** How the route reads a body as JSON: limits and strictness ({@link LoginJson}). */
    @BindToRegistry("loginJson")
    public JacksonDataFormat loginJson() {
        return LoginJson.dataFormat();
    }

    /** Nested objects to dotted keys, arrays to indexes. */
    @BindToRegistry("jsonFlattener")
    public JsonFlattener jsonFlattener() {
        return new JsonFlattener();
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        if (!embedded) {
            LogSettings.applyFormat(logFormat);
            LogSettings.applyLevel(logLevel);
        }
        warnIfVisibilityTimeoutIsShort();
        StartupChecks.requirePositive("message.max-receives", messageMaxReceives);
        StartupChecks.requirePositive("batch.max-bytes", batchMaxBytes);
        PiiMasker masker = PipelineBeans.masker(maskingKey, vaultKey);
        HikariDataSource dataSource = PipelineBeans.dataSource(dbUrl, dbUser, dbPassword, dbPoolSize, dbConnectionTimeout);
        SqsClient sqs = null;
        StartupChecks.SourceQueue source;
        UserLoginsTable table;
        try {
            sqs = SqsClients.create(sqsEndpoint, awsRegion, awsAccessKeyId, awsSecretAccessKey);
            source = StartupChecks.checkQueues(sqs, sqsEndpoint, awsRegion, sqsQueue, sqsDeadLetterQueue);
            table = StartupChecks.prepareTable(dataSource, new StartupChecks.Database(dbUrl, dbUser, dbPassword), dbMigrate);
        } catch (RuntimeException e) {
            // nothing left open behind a failed start (an embedding application may try again)
            if (sqs != null) {
                sqs.close();
            }
            dataSource.close();
            throw e;
        }
        SqsClient client = sqs;
        WrittenMessages written = new WrittenMessages(dataSource, source.retention());
        MeterRegistry meters = meterRegistry(context);
        PipelineStats stats = new PipelineStats(meters);
        // completed batches are written by as many threads as the pool has connections, one more may wait; while that
        // is so, no poll begins (back-pressure), and a batch completed by a poll already under way is written by its
        // consumer thread itself
        ThreadPoolExecutor writers = (ThreadPoolExecutor) new ThreadPoolBuilder(context).poolSize(dbPoolSize)
                .maxPoolSize(dbPoolSize).maxQueueSize(1).rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns)
                .build(this, "login-etl-writer");
        int pollers = SqsPollStrategy.ceiling(sqsConsumers, maxMessagesPerPoll, source.maxMessageBytes(),
                Runtime.getRuntime().maxMemory());
        if (pollers < sqsConsumers) {
            LOG.info("at most {} polls at once, not sqs.consumers ({}): queue {} takes messages of up to {} KiB, and polls"
                    + " are kept to a quarter of the heap ({} MiB)",
                    pollers, sqsConsumers, sqsQueue, source.maxMessageBytes() / 1024, Runtime.getRuntime().maxMemory() >> 20);
        }
        SqsPollStrategy polling = new SqsPollStrategy(stats, pollers, maxMessagesPerPoll,
                () -> writers.getQueue().remainingCapacity() == 0 && writers.getActiveCount() >= dbPoolSize);
        Gauge.builder("login_etl_sqs_pollers", polling, SqsPollStrategy::pollers)
                .description("ReceiveMessage calls allowed at once now (grows with the backlog, up to sqs.consumers)")
                .register(meters);
        // a plain scheduler, not timer routes: its ticks must not count as activity for
        // camel.main.duration-max-idle-seconds
        ScheduledExecutorService scheduler = context.getExecutorServiceManager().newScheduledThreadPool(this, "login-etl", 2);
        ConsumptionGate gate = new ConsumptionGate(context, dataSource, scheduler);
        // its threads end after a minute without deletes, so an idle pipeline holds none
        SqsBatchDeleter deleter = new SqsBatchDeleter(client, sqsQueue, source.url(),
                context.getExecutorServiceManager().newThreadPool(this, "login-etl-delete",
                        new ThreadPoolProfileBuilder("login-etl-delete").poolSize(SqsBatchDeleter.MAX_CALLS_IN_FLIGHT)
                                .maxPoolSize(SqsBatchDeleter.MAX_CALLS_IN_FLIGHT).maxQueueSize(-1).keepAliveTime(60L)
                                .allowCoreThreadTimeOut(true).build()));
        PipelineHealth health = new PipelineHealth(client, source.url(), dataSource, gate, polling, meters);
        health.refresh();
        HealthCheckRegistry checks = HealthCheckRegistry.get(context);
        if (checks != null) {
            checks.register(health.sqsCheck());
            checks.register(health.databaseCheck());
        }
        context.addService(new ServiceSupport() {
            @Override
            protected void doStart() {
                scheduler.scheduleAtFixedRate(stats::logProgress, progressInterval, progressInterval, TimeUnit.MILLISECONDS);
                scheduler.scheduleWithFixedDelay(written::prune, 1, 60, TimeUnit.MINUTES);
                scheduler.scheduleWithFixedDelay(health::refresh, HEALTH_INTERVAL_SECONDS, HEALTH_INTERVAL_SECONDS, TimeUnit.SECONDS);
            }

            @Override
            protected void doStop() throws InterruptedException {
                context.getExecutorServiceManager().shutdownNow(scheduler);
                // the routes have stopped: the last batches are committed, their deletes may still be under way
                if (!deleter.awaitInFlight(TimeUnit.SECONDS.toMillis(30))) {
                    LOG.warn("stopping with deletes from {} still in flight; their messages will be delivered again and"
                            + " skipped", sqsQueue);
                }
                stats.logSummary();
                client.close();
                dataSource.close();
            }
        }, true, true);

        Registry registry = context.getRegistry();
        registry.bind("sqsClient", client);
        registry.bind("loginDataSource", dataSource);
        registry.bind("userLoginsTable", table);
        registry.bind("loginMapper", new LoginMapper(table));
        registry.bind("piiMasker", masker);
        registry.bind("sqsBatchDeleter", deleter);
        registry.bind("loginBatchWriters", writers);
        registry.bind("batchFull", new BatchFull(batchMaxBytes));
        registry.bind("deadLetterFit", new DeadLetterFit(source.deadLetterMaxBytes()));
        registry.bind("pipelineStats", stats);
        registry.bind("consumptionGate", gate);
        registry.bind("sqsPollStrategy", polling);
        registry.bind("pipelineHealth", health);
    }

    /**
     * The registry {@code /observe/metrics} publishes: Camel's (bound as {@code metricsRegistry} when
     * {@code camel.metrics.enabled}), or one made here that Camel's metrics service then adopts.
     */
    private static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry meters = context.getRegistry().lookupByNameAndType(METRICS_REGISTRY, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getRegistry().bind(METRICS_REGISTRY, meters);
        }
        return meters;
    }

    /**
     * A batch can take {@code batch.timeout} plus every write attempt and back-off delay; messages whose visibility
     * runs out meanwhile come back while still being written (no second row, but wasted work). RELIABILITY.md.
     */
    private void warnIfVisibilityTimeoutIsShort() {
        long budget = batchTimeoutMs + (maxRedeliveries + 1L) * dbConnectionTimeout;
        for (int i = 0, delay = (int) retryInitialDelayMs; i < maxRedeliveries; i++, delay *= 2) {
            budget += Math.min(delay, retryMaxDelayMs);
        }
        if (visibilityTimeoutSeconds * 1000 < budget) {
            LOG.warn("sqs.visibility-timeout ({} s) is shorter than the longest a batch can take ({} s): messages of a "
                    + "batch still being retried will be delivered again (no second row, but wasted work)",
                    visibilityTimeoutSeconds, (budget + 999) / 1000);
        }
    }
}
