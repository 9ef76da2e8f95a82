package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/** metrics: per function, how its invocations went over the last hour (or --since), one sparkline per series. */
@Command(name = "metrics", description = "Show each function's invocations, errors, throttles, durations, cold starts "
        + "and peak concurrency per minute, as sparklines with totals.")
final class MetricsCommand implements Callable<Integer> {

    /** At most this many characters per sparkline: longer windows put several minutes in one character. */
    static final int MAX_WIDTH = 60;

    private final CliContext context;

    @Option(names = {"-e", "--entry"}, paramLabel = "ENTRY", description = "Only this Procfile entry's function.")
    private String entry;

    @Option(names = "--since", paramLabel = "WINDOW", description = "How far back: 10m, 1h (default) … 24h.")
    private String since = "1h";

    @Mixin
    private AppOption appOption;

    @Mixin
    private JsonOption json;

    MetricsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String app = context.app(appOption);
        String query = "?since=" + ApiClient.query(since) + (entry == null ? "" : "&entry=" + ApiClient.query(entry));
        JsonNode answer = context.api().get(ApiClient.path("apps", app, "metrics") + query);
        if (json.requested()) {
            context.printJson(answer);
            return 0;
        }
        context.printLines(render(answer, since));
        return 0;
    }

    /** The whole printout of one answer: a heading, then per function a table of series with sparkline and total. */
    static List<String> render(JsonNode answer, String since) {
        Instant from = Instant.parse(answer.get("from").asText());
        Instant to = Instant.parse(answer.get("to").asText());
        int minutes = (int) Math.max(1, Duration.between(from, to).toMinutes() + 1);
        int width = Math.min(MAX_WIDTH, minutes);
        List<String> lines = new ArrayList<>();
        lines.add("=== " + answer.get("app").asText() + " Metrics (last " + since + ", " + Timestamps.minutes(from.toString())
                + " to " + Timestamps.minutes(to.toString()) + (width < minutes ? ", " + minutes + " minutes in " + width
                + " characters" : ", one minute per character") + ")");
        if (answer.get("functions").isEmpty()) {
            lines.add("No functions yet: git push laambda main");
        }
        for (JsonNode function : answer.get("functions")) {
            lines.add("");
            lines.add(function.get("entry").asText() + " (" + function.get("function_name").asText() + ")");
            Series series = new Series(function.get("minutes"), from, minutes, width);
            JsonNode totals = function.get("totals");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("SERIES", "PER MINUTE", "TOTAL"));
            rows.add(row("invocations", series.counts("invocations"), count(totals, "invocations")));
            rows.add(row("errors", series.counts("errors"), count(totals, "errors")));
            rows.add(row("throttles", series.counts("throttles"), count(totals, "throttles")));
            rows.add(row("duration p50", series.durations("p50"), millis(totals.get("duration_ms").get("p50"))));
            rows.add(row("duration p99", series.durations("p99"), millis(totals.get("duration_ms").get("p99"))));
            rows.add(row("cold starts", series.counts("cold_starts"), count(totals, "cold_starts")));
            rows.add(row("peak concurrency", series.peaks(), count(totals, "peak_concurrency")));
            lines.addAll(Table.columns(rows));
            lines.add("Timeouts: " + count(totals, "timeouts") + "  Duration max: "
                    + millis(totals.get("duration_ms").get("max")) + "  Billed: " + gbSeconds(totals.get("billed_gb_seconds")));
        }
        return lines;
    }

    private static List<String> row(String name, List<Double> values, String total) {
        return List.of(name, Sparkline.of(values), total);
    }

    /**
     * The minutes of one function folded into {@code width} characters: counts add up, durations and peaks take the
     * largest minute (an upper bound: percentiles do not add), and a character without invocations has no duration.
     */
    private record Series(JsonNode minutes, Instant from, int span, int width) {

        List<Double> counts(String field) {
            return fold(minute -> number(minute.get(field)), Double::sum, 0.0);
        }

        List<Double> durations(String percentile) {
            return fold(minute -> number(minute.get("duration_ms").get(percentile)), Math::max, null);
        }

        List<Double> peaks() {
            return fold(minute -> number(minute.get("peak_concurrency")), Math::max, 0.0);
        }

        private List<Double> fold(Function<JsonNode, Double> value, BinaryOperator<Double> combine, Double empty) {
            List<Double> folded = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                folded.add(empty);
            }
            for (JsonNode minute : minutes) {
                long offset = Duration.between(from, Instant.parse(minute.get("minute").asText())).toMinutes();
                if (offset < 0 || offset >= span) {
                    continue;
                }
                int slot = (int) (offset * width / span);
                Double v = value.apply(minute);
                if (v != null) {
                    folded.set(slot, folded.get(slot) == null ? v : combine.apply(folded.get(slot), v));
                }
            }
            return folded;
        }
    }

    private static Double number(JsonNode node) {
        return node == null || node.isNull() ? null : node.asDouble();
    }

    private static String count(JsonNode totals, String field) {
        JsonNode value = totals.get(field);
        return value == null || value.isNull() ? "n/a" : String.valueOf(value.asLong());
    }

    private static String millis(JsonNode value) {
        return value == null || value.isNull() ? "-" : String.format(Locale.ROOT, "%.1f ms", value.asDouble());
    }

    private static String gbSeconds(JsonNode value) {
        return value == null || value.isNull() ? "n/a" : String.format(Locale.ROOT, "%.6f GB-s", value.asDouble());
    }
}
