package dev.laambda.metrics;

import dev.laambda.store.FunctionMinute;
import org.HdrHistogram.Histogram;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * One function's minute as this server counts it, until a flush takes it. Once taken it is sealed: a recorder
 * that raced the flush sees {@link #update} refuse and counts into a fresh one, so nothing is lost.
 */
final class MinuteCounts {

    long invocations;
    long errors;
    long throttles;
    long timeouts;
    long coldStarts;
    int peakConcurrency;
    long billedMbMs;
    final Histogram durations = FunctionMinute.emptyDurations();
    private boolean sealed;

    /** Applies {@code change} unless a flush took this minute already; false then. */
    synchronized boolean update(Consumer<MinuteCounts> change) {
        if (sealed) {
            return false;
        }
        change.accept(this);
        return true;
    }

    /** Seals this minute and returns what it counted. */
    synchronized FunctionMinute seal(long appId, String functionName, Instant minute) {
        sealed = true;
        return new FunctionMinute(appId, functionName, minute, invocations, errors, throttles, timeouts, coldStarts,
                peakConcurrency, billedMbMs, durations.copy());
    }
}
