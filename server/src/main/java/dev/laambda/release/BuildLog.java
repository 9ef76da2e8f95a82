package dev.laambda.release;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Push output as it streams to the user, also kept (up to a bound) as the build's stored log, which
 * {@code saveSoFar} stores as it grows — once a second on {@code timer}, when there is something new — so a build
 * the server did not live to finish still shows what it printed. Close it when the build ends.
 */
final class BuildLog implements Consumer<String>, AutoCloseable {

    private static final int MAX_CHARS = 1 << 20;
    private static final Logger log = LoggerFactory.getLogger(BuildLog.class);

    private final Consumer<String> live;
    private final Consumer<String> saveSoFar;
    private final StringBuilder kept = new StringBuilder();
    private final ScheduledFuture<?> saving;
    private boolean truncated;
    private boolean unsaved;

    BuildLog(Consumer<String> live, Consumer<String> saveSoFar, ScheduledExecutorService timer) {
        this.live = live;
        this.saveSoFar = saveSoFar;
        this.saving = timer.scheduleWithFixedDelay(this::saveIfChanged, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void accept(String line) {
        synchronized (this) {
            keep(line);
            unsaved = true;
        }
        live.accept(line);
    }

    @Override
    public void close() {
        saving.cancel(false);
    }

    private void saveIfChanged() {
        String soFar;
        synchronized (this) {
            if (!unsaved) {
                return;
            }
            unsaved = false;
            soFar = kept.toString();
        }
        try {
            saveSoFar.accept(soFar);
        } catch (RuntimeException e) {
            log.warn("event=build_log_not_saved error=\"{}\"", e.getMessage());
        }
    }

    private void keep(String line) {
        if (kept.length() + line.length() + 1 <= MAX_CHARS) {
            kept.append(line).append('\n');
        } else if (!truncated) {
            truncated = true;
            kept.append("       (log truncated at 1 MB)\n");
        }
    }

    synchronized String text() {
        return kept.toString();
    }
}
