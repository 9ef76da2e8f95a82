package dev.laambda.release;

import dev.laambda.Echo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression: {@code rate(5 minutes)} or {@code cron(0 12 * * ? *)}, with EventBridge's own
 * rules (docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html), so what the local
 * platform accepts, AWS accepts too.
 */
public sealed interface ScheduleExpression {

    /** As written back: {@code rate(5 minutes)}, {@code cron(0 12 * * ? *)} (single spaces). */
    String canonical();

    /** Whether the schedule fires at the start of the minute {@code minute} (UTC, whole minutes only). */
    boolean firesAt(Instant minute);

    /** {@code rate(VALUE UNIT)}: every VALUE minutes, hours or days; locally at whole multiples since the epoch. */
    record Rate(int value, ChronoUnit unit) implements ScheduleExpression {
        public String canonical() {
            String name = unit == ChronoUnit.MINUTES ? "minute" : unit == ChronoUnit.HOURS ? "hour" : "day";
            return "rate(" + value + " " + name + (value == 1 ? "" : "s") + ")";
        }

        public boolean firesAt(Instant minute) {
            long everyMinutes = unit.getDuration().toMinutes() * value;
            return Math.floorMod(minute.getEpochSecond() / 60, everyMinutes) == 0;
        }
    }

    /** {@code cron(minutes hours day-of-month month day-of-week year)}, in UTC as EventBridge's. */
    record Cron(CronExpression fields) implements ScheduleExpression {
        public String canonical() {
            return "cron(" + fields.canonical() + ")";
        }

        public boolean firesAt(Instant minute) {
            return fields.matches(minute);
        }
    }

    Pattern RATE = Pattern.compile("rate\\(\\s*(\\S+)\\s+(\\S+)\\s*\\)");
    Pattern CRON = Pattern.compile("cron\\((.*)\\)", Pattern.DOTALL);

    static ScheduleExpression parse(String text) {
        Matcher rate = RATE.matcher(text);
        if (rate.matches()) {
            return rate(rate.group(1), rate.group(2), text);
        }
        Matcher cron = CRON.matcher(text);
        if (cron.matches()) {
            return new Cron(CronExpression.parse(cron.group(1)));
        }
        throw EventSource.invalid("Schedule '" + Echo.of(text) + "' does not parse: write schedule:rate(5 minutes) "
                + "or schedule:cron(0 12 * * ? *).");
    }

    private static Rate rate(String value, String unit, String text) {
        int count;
        try {
            count = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            count = 0;
        }
        if (count <= 0) {
            throw EventSource.invalid("The rate in '" + Echo.of(text) + "' must be a whole number above 0, as in "
                    + "rate(5 minutes).");
        }
        String singular = unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
        ChronoUnit chrono = switch (singular) {
            case "minute" -> ChronoUnit.MINUTES;
            case "hour" -> ChronoUnit.HOURS;
            case "day" -> ChronoUnit.DAYS;
            default -> throw EventSource.invalid("The unit in '" + Echo.of(text) + "' must be minute(s), hour(s) or day(s).");
        };
        Rate parsed = new Rate(count, chrono);
        String expected = parsed.canonical();
        if (!unit.equals(expected.substring(expected.indexOf(' ') + 1, expected.length() - 1))) {
            // EventBridge's own rule: rate(1 minute) but rate(5 minutes).
            throw EventSource.invalid("Write " + expected + ", not '" + Echo.of(text) + "': the unit is singular for 1, "
                    + "plural otherwise.");
        }
        return parsed;
    }
}
