package dev.laambda;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Stopping the server's background timers the one way: interrupt what runs, wait for it up to 5 s. */
public final class BackgroundTasks {

    private BackgroundTasks() {
    }

    /** Interrupts {@code executor}'s tasks and waits up to 5 s for them to end (a task mid-database-call finishes). */
    public static void stop(ExecutorService executor) {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
