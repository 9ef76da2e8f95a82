package dev.laambda.metrics;

import dev.laambda.BackgroundTasks;
import dev.laambda.store.FunctionMetricsRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Moves the minutes {@link FunctionMetrics} counted into PostgreSQL in the background (every {@code every}, and
 * once more at close), and prunes minutes older than {@link #RETENTION}. A flush that fails keeps nothing back
 * from invocations: its minutes are lost and the failure logged.
 */
public final class MetricsFlusher implements AutoCloseable {

    public static final Duration RETENTION = Duration.ofHours(24);
    public static final Duration EVERY = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(MetricsFlusher.class);

    private final FunctionMetrics metrics;
    private final FunctionMetricsRepository store;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "metrics-flusher");
        thread.setDaemon(true);
        return thread;
    });

    public MetricsFlusher(FunctionMetrics metrics, FunctionMetricsRepository store, Clock clock) {
        this.metrics = metrics;
        this.store = store;
        this.clock = clock;
    }

    /** Starts flushing every {@code every}. */
    public MetricsFlusher start(Duration every) {
        scheduler.scheduleWithFixedDelay(this::flushQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Stores every minute counted so far and prunes the expired ones; a read after it sees this server's invocations. */
    public synchronized void flush() {
        store.add(metrics.drain());
        int pruned = store.pruneBefore(Instant.now(clock).minus(RETENTION));
        if (pruned > 0) {
            log.debug("event=function_metrics_pruned rows={}", pruned);
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("event=function_metrics_flush_failed error=\"{}\"", e.getMessage());
        }
    }

    @Override
    public void close() {
        BackgroundTasks.stop(scheduler);
        flushQuietly();
    }
}
