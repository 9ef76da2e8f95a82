package dev.laambda.build;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hands a build's output on line by line and keeps the last few lines for the failure report. A consumer
 * that fails (a client that hung up) stops getting lines; the build goes on.
 */
final class RecentLines implements Consumer<String> {

    private static final int KEPT = 20;

    private final Consumer<String> out;
    private final Deque<String> last = new ArrayDeque<>();
    private volatile boolean forwarding = true;

    RecentLines(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public void accept(String line) {
        synchronized (last) {
            last.addLast(line);
            if (last.size() > KEPT) {
                last.removeFirst();
            }
        }
        if (forwarding) {
            try {
                out.accept(line);
            } catch (RuntimeException clientGone) {
                forwarding = false;
            }
        }
    }

    List<String> lines() {
        synchronized (last) {
            return List.copyOf(last);
        }
    }
}
