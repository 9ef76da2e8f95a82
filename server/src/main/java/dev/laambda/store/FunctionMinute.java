package dev.laambda.store;

import org.HdrHistogram.Histogram;

import java.time.Instant;

/**
 * What one function's invocations did in one minute: counts, the peak of instances busy at once, Lambda's
 * billed MB-milliseconds, and every duration in an HdrHistogram (microseconds), so percentiles stay exact when
 * minutes of several servers merge. {@code timeouts} and {@code errors} overlap as in Lambda: a timeout is an
 * error too.
 */
public record FunctionMinute(long appId, String functionName, Instant minute, long invocations, long errors,
                             long throttles, long timeouts, long coldStarts, int peakConcurrency, long billedMbMs,
                             Histogram durations) {

    /** Highest duration the histograms track, in microseconds: 1 hour, far past Lambda's 15-minute limit. */
    public static final long MAX_DURATION_MICROS = 3_600_000_000L;

    public static Histogram emptyDurations() {
        return new Histogram(1, MAX_DURATION_MICROS, 3);
    }

    /** Both minutes together: what two servers saw of the same function in the same minute. */
    public FunctionMinute plus(FunctionMinute other) {
        Histogram merged = durations.copy();
        merged.add(other.durations);
        return new FunctionMinute(appId, functionName, minute, invocations + other.invocations, errors + other.errors,
                throttles + other.throttles, timeouts + other.timeouts, coldStarts + other.coldStarts,
                Math.max(peakConcurrency, other.peakConcurrency), billedMbMs + other.billedMbMs, merged);
    }
}
