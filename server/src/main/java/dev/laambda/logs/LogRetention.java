package dev.laambda.logs;

import dev.laambda.store.LogLineRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the log store bounded (LAAMBDA_LOG_RETENTION): lines older than the retention go, and so does every
 * app's past its newest {@code maxLinesPerApp}; once a minute in the background, and whenever asked.
 */
public final class LogRetention implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LogRetention.class);

    private final LogLineRepository lines;
    private final Duration retention;
    private final int maxLinesPerApp;
    private final Clock clock;
    private final ScheduledExecutorService pruner = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "log-retention");
        thread.setDaemon(true);
        return thread;
    });

    public LogRetention(LogLineRepository lines, Duration retention, int maxLinesPerApp, Clock clock) {
        this.lines = lines;
        this.retention = retention;
        this.maxLinesPerApp = maxLinesPerApp;
        this.clock = clock;
    }

    /** Prunes now and then once a minute. */
    public LogRetention start() {
        pruner.scheduleWithFixedDelay(this::pruneLogged, 0, 1, TimeUnit.MINUTES);
        return this;
    }

    /** Removes what is past the retention or the per-app bound; returns how many lines went. */
    public int prune() {
        return lines.prune(clock.instant().minus(retention), maxLinesPerApp);
    }

    @Override
    public void close() {
        pruner.shutdownNow();
    }

    private void pruneLogged() {
        try {
            int removed = prune();
            if (removed > 0) {
                log.info("event=log_lines_pruned count={}", removed);
            }
        } catch (RuntimeException e) {
            log.warn("event=log_prune_failed error=\"{}\"", e.getMessage());
        }
    }
}
