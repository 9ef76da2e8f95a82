package dev.laambda.release;

import java.util.function.Consumer;

/**
 * Push output as it streams to the user, also kept (up to a bound) as the build's stored log, which
 * {@code saveSoFar} stores as it grows — at most once a second — so a build the server did not live to finish
 * still shows what it printed.
 */
final class BuildLog implements Consumer<String> {

    private static final int MAX_CHARS = 1 << 20;
    private static final long SAVE_EVERY_NANOS = 1_000_000_000L;

    private final Consumer<String> live;
    private final Consumer<String> saveSoFar;
    private final StringBuilder kept = new StringBuilder();
    private boolean truncated;
    private long savedAt = System.nanoTime();

    BuildLog(Consumer<String> live, Consumer<String> saveSoFar) {
        this.live = live;
        this.saveSoFar = saveSoFar;
    }

    @Override
    public synchronized void accept(String line) {
        keep(line);
        if (System.nanoTime() - savedAt >= SAVE_EVERY_NANOS) {
            savedAt = System.nanoTime();
            saveSoFar.accept(kept.toString());
        }
        live.accept(line);
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
