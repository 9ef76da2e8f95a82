package dev.laambda.release;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EventBridge's six-field cron, {@code minutes hours day-of-month month day-of-week year}, evaluated in UTC.
 * Exactly one of day-of-month and day-of-week is {@code ?}. Fields take numbers, ranges {@code a-b}, lists
 * {@code a,b}, steps {@code * /n} and {@code a/n}, {@code *}; month and day-of-week also take JAN-DEC and SUN-SAT
 * (SUN is 1); day-of-month takes {@code L}, {@code LW} and {@code nW}; day-of-week takes {@code L}, {@code nL} and
 * {@code n#k}.
 */
public record CronExpression(String canonical, BitSet minutes, BitSet hours, Predicate<LocalDate> days, BitSet months,
                             BitSet years) {

    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> WEEKDAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final Pattern ITEM = Pattern.compile("(\\*|[0-9A-Z]+(?:-[0-9A-Z]+)?)(?:/(\\d+))?");
    private static final Pattern NEAREST_WEEKDAY = Pattern.compile("(\\d{1,2})W");
    private static final Pattern LAST_WEEKDAY_OF = Pattern.compile("([0-9A-Z]+)L");
    private static final Pattern NTH_WEEKDAY = Pattern.compile("([0-9A-Z]+)#(\\d)");

    private record Field(String name, int min, int max, List<String> names) {
    }

    private static final Field MINUTES = new Field("minutes", 0, 59, List.of());
    private static final Field HOURS = new Field("hours", 0, 23, List.of());
    private static final Field DAY_OF_MONTH = new Field("day-of-month", 1, 31, List.of());
    private static final Field MONTH = new Field("month", 1, 12, MONTHS);
    private static final Field DAY_OF_WEEK = new Field("day-of-week", 1, 7, WEEKDAYS);
    private static final Field YEAR = new Field("year", 1970, 2199, List.of());

    public static CronExpression parse(String text) {
        String[] fields = text.strip().toUpperCase(Locale.ROOT).split("\\s+");
        if (fields.length != 6) {
            throw invalid("cron(" + Echo.of(text) + ") has " + (text.isBlank() ? 0 : fields.length) + " fields; EventBridge's "
                    + "cron has 6: minutes hours day-of-month month day-of-week year, as in cron(0 12 * * ? *).");
        }
        boolean anyDayOfMonth = fields[2].equals("?");
        boolean anyDayOfWeek = fields[4].equals("?");
        if (anyDayOfMonth == anyDayOfWeek) {
            throw invalid("cron(" + Echo.of(text) + ") needs ? in exactly one of day-of-month and day-of-week (the one "
                    + "not used), as in cron(0 12 * * ? *) or cron(0 12 ? * MON *).");
        }
        Predicate<LocalDate> days = anyDayOfMonth ? dayOfWeek(fields[4]) : dayOfMonth(fields[2]);
        return new CronExpression(String.join(" ", fields), values(MINUTES, fields[0]), values(HOURS, fields[1]), days,
                values(MONTH, fields[3]), values(YEAR, fields[5]));
    }

    /** Whether the schedule fires at the start of the minute {@code minute} (UTC). */
    public boolean matches(Instant minute) {
        ZonedDateTime at = minute.atZone(ZoneOffset.UTC);
        return at.getSecond() == 0 && minutes.get(at.getMinute()) && hours.get(at.getHour())
                && months.get(at.getMonthValue()) && years.get(at.getYear()) && days.test(at.toLocalDate());
    }

    /** Numbers, ranges, lists and steps, over the field's range. */
    private static BitSet values(Field field, String text) {
        BitSet set = new BitSet();
        for (String item : text.split(",", -1)) {
            Matcher m = ITEM.matcher(item);
            if (!m.matches()) {
                throw badField(field, text);
            }
            int from;
            int to;
            if (m.group(1).equals("*")) {
                from = field.min;
                to = field.max;
            } else {
                String[] range = m.group(1).split("-");
                from = value(field, range[0], text);
                to = range.length == 2 ? value(field, range[1], text) : (m.group(2) != null ? field.max : from);
                if (to < from) {
                    throw badField(field, text);
                }
            }
            int step = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            if (step < 1 || step > field.max) {
                throw badField(field, text);
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int value(Field field, String text, String whole) {
        int named = field.names.indexOf(text);
        if (named >= 0) {
            return named + 1;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= field.min && value <= field.max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Falls through to the one-line refusal.
        }
        throw badField(field, whole);
    }

    private static Predicate<LocalDate> dayOfMonth(String text) {
        if (text.equals("L")) {
            return date -> date.getDayOfMonth() == date.lengthOfMonth();
        }
        if (text.equals("LW")) {
            return date -> date.equals(nearestWeekday(date.withDayOfMonth(date.lengthOfMonth())));
        }
        Matcher nearest = NEAREST_WEEKDAY.matcher(text);
        if (nearest.matches()) {
            int day = value(DAY_OF_MONTH, nearest.group(1), text);
            return date -> day <= date.lengthOfMonth() && date.equals(nearestWeekday(date.withDayOfMonth(day)));
        }
        BitSet days = values(DAY_OF_MONTH, text);
        return date -> days.get(date.getDayOfMonth());
    }

    private static Predicate<LocalDate> dayOfWeek(String text) {
        if (text.equals("L")) {
            return date -> date.getDayOfWeek() == DayOfWeek.SATURDAY;
        }
        Matcher last = LAST_WEEKDAY_OF.matcher(text);
        if (last.matches()) {
            DayOfWeek day = javaDay(value(DAY_OF_WEEK, last.group(1), text));
            return date -> date.equals(date.with(TemporalAdjusters.lastInMonth(day)));
        }
        Matcher nth = NTH_WEEKDAY.matcher(text);
        if (nth.matches()) {
            DayOfWeek day = javaDay(value(DAY_OF_WEEK, nth.group(1), text));
            int week = Integer.parseInt(nth.group(2));
            if (week < 1 || week > 5) {
                throw badField(DAY_OF_WEEK, text);
            }
            return date -> date.getDayOfWeek() == day && (date.getDayOfMonth() - 1) / 7 + 1 == week;
        }
        BitSet days = values(DAY_OF_WEEK, text);
        return date -> days.get(date.getDayOfWeek().getValue() % 7 + 1);
    }

    /** EventBridge counts SUN as 1 … SAT as 7; Java MON as 1 … SUN as 7. */
    private static DayOfWeek javaDay(int eventBridgeDay) {
        return DayOfWeek.of(eventBridgeDay == 1 ? 7 : eventBridgeDay - 1);
    }

    /** The weekday nearest {@code date} within its month (cron's W). */
    private static LocalDate nearestWeekday(LocalDate date) {
        return switch (date.getDayOfWeek()) {
            case SATURDAY -> date.getDayOfMonth() == 1 ? date.plusDays(2) : date.minusDays(1);
            case SUNDAY -> date.getDayOfMonth() == date.lengthOfMonth() ? date.minusDays(2) : date.plusDays(1);
            default -> date;
        };
    }

    private static LaambdaException badField(Field field, String text) {
        String allowed = switch (field.name) {
            case "day-of-month" -> "1-31, L, LW, nW";
            case "month" -> "1-12 or JAN-DEC";
            case "day-of-week" -> "1-7 or SUN-SAT, L, nL, n#k";
            default -> field.min + "-" + field.max;
        };
        return invalid("The cron " + field.name + " field '" + Echo.of(text) + "' is not valid: use " + allowed
                + " with , - * /" + (field == DAY_OF_MONTH || field == DAY_OF_WEEK ? " or ?" : "") + ".");
    }

    private static LaambdaException invalid(String message) {
        return EventSource.invalid(message);
    }
}
