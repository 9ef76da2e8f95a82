package dev.laambda.release;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the finish of releases that went live (docs/architecture.md, "Going live", step 3): work whose failure
 * must never fail the release, such as retiring the old release's instances, recording the deployed branch or
 * closing the build. A step runs at once; when it throws, that is logged and it runs again after each of the
 * retry delays until it succeeds or they run out, which is logged too. Steps must be safe to repeat.
 */
public final class AfterSwitch implements AutoCloseable {

    /** Retries after 1 s, 10 s, 1 min, 5 min and 30 min: past a restart of a dependency, not past a restart of ours. */
    public static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(10),
            Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30));
    private static final Logger log = LoggerFactory.getLogger(AfterSwitch.class);

    private final List<Duration> retryDelays;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "release-finish-retry");
        thread.setDaemon(true);
        return thread;
    });

    public AfterSwitch(List<Duration> retryDelays) {
        this.retryDelays = List.copyOf(retryDelays);
    }

    /** Runs {@code step} (named for the log, e.g. "retire_replaced") of release {@code version} of {@code app}. */
    public void run(String step, String app, int version, Runnable work) {
        attempt(new Step(step, app, version, work), 1);
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }

    private void attempt(Step step, int attempt) {
        try {
            step.work().run();
            if (attempt > 1) {
                log.info("event=release_finish_retried step={} app={} version={} attempt={}", step.name(), step.app(),
                        step.version(), attempt);
            }
        } catch (RuntimeException e) {
            if (attempt > retryDelays.size()) {
                log.error("event=release_finish_abandoned step={} app={} version={} attempts={} error=\"{}\"", step.name(),
                        step.app(), step.version(), attempt, e.getMessage(), e);
                return;
            }
            Duration delay = retryDelays.get(attempt - 1);
            log.warn("event=release_finish_failed step={} app={} version={} attempt={} retry_in_ms={} error=\"{}\"",
                    step.name(), step.app(), step.version(), attempt, delay.toMillis(), e.getMessage());
            try {
                retries.schedule(() -> attempt(step, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                log.warn("event=release_finish_dropped step={} app={} version={} reason=server_stopping", step.name(),
                        step.app(), step.version());
            }
        }
    }

    private record Step(String name, String app, int version, Runnable work) {
    }
}
