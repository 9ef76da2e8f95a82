package dev.laambda.release;

import java.util.function.Consumer;

/** Push output as it streams to the user, also kept (up to a bound) as the build's stored log. */
final class BuildLog implements Consumer<String> {

    private static final int MAX_CHARS = 1 << 20;

    private final Consumer<String> live;
    private final StringBuilder kept = new StringBuilder();
    private boolean truncated;

    BuildLog(Consumer<String> live) {
        this.live = live;
    }

    @Override
    public synchronized void accept(String line) {
        live.accept(line);
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
