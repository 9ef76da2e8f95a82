package dev.laambda.metrics;

import dev.laambda.platform.FunctionSpec;
import dev.laambda.store.FunctionMinute;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Records what each invocation did, in memory and without a round trip: per function per minute (taken by
 * {@link MetricsFlusher} into PostgreSQL) and as running totals since the server started (scraped by
 * {@link PrometheusMetrics}).
 */
public final class FunctionMetrics {

    /** One function of one app: it keeps its name across releases, so its numbers run on across deploys. */
    public record FunctionKey(long appId, String functionName) {
    }

    /** How one invocation went: its duration, whether it started an instance, failed, or timed out (a failure too). */
    public record Outcome(long durationNanos, boolean coldStart, boolean failed, boolean timedOut) {
    }

    /** Totals since this server started, for Prometheus's counters. */
    public static final class Totals {
        final LongAdder invocations = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder throttles = new LongAdder();
        final LongAdder timeouts = new LongAdder();
        final LongAdder coldStarts = new LongAdder();
        final LongAdder durationNanos = new LongAdder();
    }

    private record MinuteKey(FunctionKey function, Instant minute) {
    }

    private final Clock clock;
    private final Map<MinuteKey, MinuteCounts> minutes = new ConcurrentHashMap<>();
    private final Map<FunctionKey, Totals> totals = new ConcurrentHashMap<>();

    public FunctionMetrics(Clock clock) {
        this.clock = clock;
    }

    /** An invocation ran (whatever it returned). */
    public void invoked(FunctionSpec function, Outcome outcome) {
        long micros = Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMicros(outcome.durationNanos()),
                FunctionMinute.MAX_DURATION_MICROS));
        // Lambda bills each invocation's duration rounded up to the millisecond, times its memory.
        long billedMs = (outcome.durationNanos() + 999_999) / 1_000_000;
        count(function, minute -> {
            minute.invocations++;
            minute.errors += outcome.failed() ? 1 : 0;
            minute.timeouts += outcome.timedOut() ? 1 : 0;
            minute.coldStarts += outcome.coldStart() ? 1 : 0;
            minute.billedMbMs += billedMs * function.memoryMb();
            minute.durations.recordValue(micros);
        });
        Totals total = totals(function);
        total.invocations.increment();
        total.durationNanos.add(outcome.durationNanos());
        if (outcome.failed()) {
            total.errors.increment();
        }
        if (outcome.timedOut()) {
            total.timeouts.increment();
        }
        if (outcome.coldStart()) {
            total.coldStarts.increment();
        }
    }

    /** An invocation was refused with 429 (TooManyRequestsException) before it ran. */
    public void throttled(FunctionSpec function) {
        count(function, minute -> minute.throttles++);
        totals(function).throttles.increment();
    }

    /** {@code busy} instances of the function are running an invocation now: the minute's peak is the largest seen. */
    public void busy(FunctionSpec function, int busy) {
        count(function, minute -> minute.peakConcurrency = Math.max(minute.peakConcurrency, busy));
    }

    /** Takes every minute counted so far (the current one too: the store adds later counts into it). */
    public List<FunctionMinute> drain() {
        List<FunctionMinute> taken = new ArrayList<>();
        for (MinuteKey key : List.copyOf(minutes.keySet())) {
            MinuteCounts counts = minutes.remove(key);
            if (counts != null) {
                taken.add(counts.seal(key.function().appId(), key.function().functionName(), key.minute()));
            }
        }
        return taken;
    }

    /** The running totals of every function invoked since the server started. */
    Map<FunctionKey, Totals> totals() {
        return totals;
    }

    private void count(FunctionSpec function, Consumer<MinuteCounts> change) {
        MinuteKey key = new MinuteKey(key(function), Instant.now(clock).truncatedTo(ChronoUnit.MINUTES));
        // A flush removes a minute before it seals it: when the update finds it sealed, the next lookup makes a fresh one.
        while (!minutes.computeIfAbsent(key, k -> new MinuteCounts()).update(change)) {
            Thread.onSpinWait();
        }
    }

    private Totals totals(FunctionSpec function) {
        return totals.computeIfAbsent(key(function), k -> new Totals());
    }

    private static FunctionKey key(FunctionSpec function) {
        return new FunctionKey(function.appId(), function.functionName());
    }
}
