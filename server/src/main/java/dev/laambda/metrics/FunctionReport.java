package dev.laambda.metrics;

import dev.laambda.store.FunctionMinute;
import org.HdrHistogram.Histogram;

import java.time.Instant;
import java.util.List;

/**
 * One function's metrics over a window, as GET …/metrics answers: one row per minute that saw invocations or
 * refusals, and the window's totals. A number a platform does not report (cold starts and timeouts on AWS) is null.
 */
public record FunctionReport(String entry, String functionName, Totals totals, List<Minute> minutes) {

    /** Percentiles and maximum of the invocations' durations, in milliseconds; null without invocations. */
    public record Durations(Double p50, Double p90, Double p99, Double max) {

        static final Durations NONE = new Durations(null, null, null, null);

        static Durations of(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return NONE;
            }
            return new Durations(millis(micros.getValueAtPercentile(50)), millis(micros.getValueAtPercentile(90)),
                    millis(micros.getValueAtPercentile(99)), millis(micros.getMaxValue()));
        }

        private static double millis(long micros) {
            return micros / 1000.0;
        }
    }

    public record Minute(Instant minute, long invocations, long errors, long throttles, Long timeouts, Long coldStarts,
                         Durations durationMs, Integer peakConcurrency, Double billedGbSeconds) {
    }

    public record Totals(long invocations, long errors, long throttles, Long timeouts, Long coldStarts,
                         Durations durationMs, Integer peakConcurrency, Double billedGbSeconds) {
    }

    /** The report of a local function from its stored minutes (oldest first), their histograms merged for the totals. */
    public static FunctionReport of(String entry, String functionName, List<FunctionMinute> stored) {
        Histogram all = FunctionMinute.emptyDurations();
        long invocations = 0;
        long errors = 0;
        long throttles = 0;
        long timeouts = 0;
        long coldStarts = 0;
        int peak = 0;
        long billedMbMs = 0;
        List<Minute> minutes = new java.util.ArrayList<>();
        for (FunctionMinute minute : stored) {
            all.add(minute.durations());
            invocations += minute.invocations();
            errors += minute.errors();
            throttles += minute.throttles();
            timeouts += minute.timeouts();
            coldStarts += minute.coldStarts();
            peak = Math.max(peak, minute.peakConcurrency());
            billedMbMs += minute.billedMbMs();
            minutes.add(new Minute(minute.minute(), minute.invocations(), minute.errors(), minute.throttles(),
                    minute.timeouts(), minute.coldStarts(), Durations.of(minute.durations()), minute.peakConcurrency(),
                    gbSeconds(minute.billedMbMs())));
        }
        return new FunctionReport(entry, functionName, new Totals(invocations, errors, throttles, timeouts, coldStarts,
                Durations.of(all), peak, gbSeconds(billedMbMs)), List.copyOf(minutes));
    }

    /** MB-milliseconds as Lambda's bill counts them: GB-seconds. */
    static double gbSeconds(long mbMs) {
        return mbMs / 1024.0 / 1000.0;
    }
}
