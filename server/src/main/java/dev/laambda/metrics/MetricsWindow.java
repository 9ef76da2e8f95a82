package dev.laambda.metrics;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How far back a metrics read looks ({@code since=10m}, {@code 1h}, {@code 24h}): a whole number of minutes, at most the retention. */
public final class MetricsWindow {

    public static final Duration DEFAULT = Duration.ofHours(1);

    private static final Pattern SPELLED = Pattern.compile("(\\d{1,5})([mhd])");

    private MetricsWindow() {
    }

    /** {@code since} as given (null: {@link #DEFAULT}); a 400 saying what is allowed otherwise. */
    public static Duration parse(String since) {
        if (since == null) {
            return DEFAULT;
        }
        Matcher spelled = SPELLED.matcher(since.strip().toLowerCase(Locale.ROOT));
        Duration window = null;
        if (spelled.matches()) {
            long amount = Long.parseLong(spelled.group(1));
            window = switch (spelled.group(2)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        if (window == null || window.isZero() || window.compareTo(MetricsFlusher.RETENTION) > 0) {
            throw LaambdaException.invalid("invalid_since", "since must be minutes or hours like 10m, 1h or 24h, "
                    + "at most 24h (metrics are kept 24 hours); got '" + Echo.of(since) + "'.");
        }
        return window;
    }
}
