package dev.laambda.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetricsCommandTest {

    @Test
    void aSparklineScalesToItsMaximumAndShowsAnyNonZeroValueAboveTheFloor() {
        assertEquals("▁▃▅▆█", Sparkline.of(List.of(0.0, 1.0, 2.0, 3.0, 4.0)));
        assertEquals("▁▂█", Sparkline.of(List.of(0.0, 0.01, 100.0)), "a tiny value is not drawn as zero");
        assertEquals("▁▁▁", Sparkline.of(List.of(0.0, 0.0, 0.0)), "all zero: the floor, not an error");
        assertEquals("█ █", Sparkline.of(Arrays.asList(5.0, null, 5.0)), "a minute without a value is a space");
        assertEquals("", Sparkline.of(List.of()));
    }

    @Test
    void oneFunctionPrintsATableOfSparklinesWithTotals() throws Exception {
        String answer = """
                {"app":"demo","platform":"local","from":"2026-11-29T10:00:00Z","to":"2026-11-29T10:04:30Z",
                 "functions":[{"entry":"web","function_name":"demo-web",
                   "totals":{"invocations":6,"errors":1,"throttles":2,"timeouts":1,"cold_starts":1,
                             "duration_ms":{"p50":2.0,"p90":9.0,"p99":40.0,"max":41.5},"peak_concurrency":2,
                             "billed_gb_seconds":0.000125},
                   "minutes":[
                     {"minute":"2026-11-29T10:00:00Z","invocations":2,"errors":0,"throttles":0,"timeouts":0,"cold_starts":1,
                      "duration_ms":{"p50":40.0,"p90":40.0,"p99":40.0,"max":40.0},"peak_concurrency":1,"billed_gb_seconds":0.0},
                     {"minute":"2026-11-29T10:02:00Z","invocations":4,"errors":1,"throttles":2,"timeouts":1,"cold_starts":0,
                      "duration_ms":{"p50":2.0,"p90":9.0,"p99":9.0,"max":9.0},"peak_concurrency":2,"billed_gb_seconds":0.0}]}]}
                """;
        List<String> printed = MetricsCommand.render(new ObjectMapper().readTree(answer), "5m");
        assertEquals(List.of(
                "=== demo Metrics (last 5m, 2026-11-29T10:00Z to 2026-11-29T10:04Z, one minute per character)",
                "",
                "web (demo-web)",
                "SERIES            PER MINUTE  TOTAL",
                "invocations       ▅▁█▁▁       6",
                "errors            ▁▁█▁▁       1",
                "throttles         ▁▁█▁▁       2",
                "duration p50      █ ▂         2.0 ms",
                "duration p99      █ ▃         40.0 ms",
                "cold starts       █▁▁▁▁       1",
                "peak concurrency  ▅▁█▁▁       2",
                "Timeouts: 1  Duration max: 41.5 ms  Billed: 0.000125 GB-s"), printed);
    }

    @Test
    void aDayFoldsIntoSixtyCharactersAndAwsNumbersItLacksAreNotApplicable() throws Exception {
        String answer = """
                {"app":"demo","platform":"aws","from":"2026-11-28T10:01:00Z","to":"2026-11-29T10:00:10Z",
                 "functions":[{"entry":"web","function_name":"demo-web",
                   "totals":{"invocations":3,"errors":0,"throttles":0,"timeouts":null,"cold_starts":null,
                             "duration_ms":{"p50":null,"p90":null,"p99":null,"max":null},"peak_concurrency":null,
                             "billed_gb_seconds":null},
                   "minutes":[{"minute":"2026-11-29T10:00:00Z","invocations":3,"errors":0,"throttles":0,"timeouts":null,
                      "cold_starts":null,"duration_ms":{"p50":null,"p90":null,"p99":null,"max":null},
                      "peak_concurrency":null,"billed_gb_seconds":null}]}]}
                """;
        List<String> printed = MetricsCommand.render(new ObjectMapper().readTree(answer), "24h");
        assertEquals("=== demo Metrics (last 24h, 2026-11-28T10:01Z to 2026-11-29T10:00Z, 1440 minutes in 60 characters)",
                printed.get(0));
        assertEquals("invocations       " + "▁".repeat(59) + "█  3", printed.get(4));
        assertEquals("cold starts       " + "▁".repeat(60) + "  n/a", printed.get(9));
        assertEquals("Timeouts: n/a  Duration max: -  Billed: n/a", printed.get(11));
    }
}
