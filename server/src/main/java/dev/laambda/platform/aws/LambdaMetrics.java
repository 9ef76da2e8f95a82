package dev.laambda.platform.aws;

import dev.laambda.LaambdaException;
import dev.laambda.metrics.FunctionReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The metrics of an app's functions on AWS Lambda, read with CloudWatch's GetMetricData from the AWS/Lambda
 * namespace (dimension FunctionName: every version together) into the same report as local functions. Lambda
 * publishes no cold-start, timeout or billing metric there, so those stay null. The duration percentiles are read
 * in calls of their own: a CloudWatch-compatible endpoint without percentile statistics (LocalStack's answers
 * InternalError) leaves them null instead of failing the whole report.
 */
public final class LambdaMetrics {

    private static final String NAMESPACE = "AWS/Lambda";
    /** GetMetricData takes at most 500 queries per call. */
    private static final int MAX_QUERIES = 500;

    /** One series of a function: CloudWatch's metric and statistic, and our id suffix for it. */
    private enum Series {
        INVOCATIONS("Invocations", "Sum"), ERRORS("Errors", "Sum"), THROTTLES("Throttles", "Sum"),
        P50("Duration", "p50"), P90("Duration", "p90"), P99("Duration", "p99"), MAX("Duration", "Maximum"),
        CONCURRENCY("ConcurrentExecutions", "Maximum");

        final String metric;
        final String stat;

        Series(String metric, String stat) {
            this.metric = metric;
            this.stat = stat;
        }

        boolean percentile() {
            return stat.startsWith("p");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(LambdaMetrics.class);

    private final CloudWatchClient cloudWatch;

    public LambdaMetrics(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /** Per entry (entry → function name, in the order given), its minutes from {@code since} to {@code until} and their totals. */
    public List<FunctionReport> read(Map<String, String> functions, Instant since, Instant until) {
        // Whole minutes, as CloudWatch itself rounds a recent start time: the per-minute periods then begin on the
        // minute on any CloudWatch-compatible endpoint too (LocalStack's start its periods at the exact start time).
        Instant from = since.truncatedTo(ChronoUnit.MINUTES);
        Instant to = until.truncatedTo(ChronoUnit.MINUTES).equals(until) ? until
                : until.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        Map<String, Map<Instant, Double>> values = new HashMap<>();
        fetchAll(queries(functions, from, to, false), from, to, values);
        try {
            fetchAll(queries(functions, from, to, true), from, to, values);
        } catch (LaambdaException e) {
            log.warn("event=lambda_metrics_percentiles_unavailable functions={} code={}", functions.size(), e.code());
        }
        List<FunctionReport> reports = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, String> function : functions.entrySet()) {
            reports.add(report(function.getKey(), function.getValue(), index++, values));
        }
        return reports;
    }

    /** Per function, a per-minute and a whole-window query of each series: the percentiles, or all the others. */
    private static List<MetricDataQuery> queries(Map<String, String> functions, Instant from, Instant to,
                                                 boolean percentiles) {
        long windowSeconds = Math.max(60, (Duration.between(from, to).toSeconds() + 59) / 60 * 60);
        List<MetricDataQuery> queries = new ArrayList<>();
        int index = 0;
        for (String functionName : functions.values()) {
            for (Series series : Series.values()) {
                if (series.percentile() == percentiles) {
                    queries.add(query(id(index, series, "m"), functionName, series, 60));
                    queries.add(query(id(index, series, "t"), functionName, series, (int) windowSeconds));
                }
            }
            index++;
        }
        return queries;
    }

    private void fetchAll(List<MetricDataQuery> queries, Instant from, Instant to, Map<String, Map<Instant, Double>> values) {
        for (int start = 0; start < queries.size(); start += MAX_QUERIES) {
            fetch(queries.subList(start, Math.min(queries.size(), start + MAX_QUERIES)), from, to, values);
        }
    }

    private void fetch(List<MetricDataQuery> queries, Instant from, Instant to, Map<String, Map<Instant, Double>> values) {
        String next = null;
        try {
            do {
                GetMetricDataResponse page = cloudWatch.getMetricData(GetMetricDataRequest.builder()
                        .metricDataQueries(queries).startTime(from).endTime(to).nextToken(next).build());
                for (MetricDataResult result : page.metricDataResults()) {
                    Map<Instant, Double> series = values.computeIfAbsent(result.id(), id -> new TreeMap<>());
                    for (int i = 0; i < result.timestamps().size() && i < result.values().size(); i++) {
                        if (result.values().get(i) != null) {
                            series.put(result.timestamps().get(i), result.values().get(i));
                        }
                    }
                }
                next = page.nextToken();
            } while (next != null);
        } catch (SdkException e) {
            throw AwsErrors.failure("GetMetricData (" + NAMESPACE + ")", e);
        }
    }

    private static FunctionReport report(String entry, String functionName, int index,
                                         Map<String, Map<Instant, Double>> values) {
        TreeSet<Instant> minutes = new TreeSet<>();
        for (Series series : Series.values()) {
            minutes.addAll(values.getOrDefault(id(index, series, "m"), Map.of()).keySet());
        }
        List<FunctionReport.Minute> rows = new ArrayList<>();
        for (Instant minute : minutes) {
            rows.add(new FunctionReport.Minute(minute, count(values, index, Series.INVOCATIONS, "m", minute),
                    count(values, index, Series.ERRORS, "m", minute), count(values, index, Series.THROTTLES, "m", minute),
                    null, null, durations(values, index, "m", minute), concurrency(values, index, "m", minute), null));
        }
        return new FunctionReport(entry, functionName, new FunctionReport.Totals(
                count(values, index, Series.INVOCATIONS, "t", null), count(values, index, Series.ERRORS, "t", null),
                count(values, index, Series.THROTTLES, "t", null), null, null, durations(values, index, "t", null),
                concurrency(values, index, "t", null), null), List.copyOf(rows));
    }

    private static FunctionReport.Durations durations(Map<String, Map<Instant, Double>> values, int index, String kind,
                                                      Instant minute) {
        return new FunctionReport.Durations(value(values, index, Series.P50, kind, minute),
                value(values, index, Series.P90, kind, minute), value(values, index, Series.P99, kind, minute),
                value(values, index, Series.MAX, kind, minute));
    }

    private static Integer concurrency(Map<String, Map<Instant, Double>> values, int index, String kind, Instant minute) {
        Double peak = value(values, index, Series.CONCURRENCY, kind, minute);
        return peak == null ? null : (int) Math.round(peak);
    }

    private static long count(Map<String, Map<Instant, Double>> values, int index, Series series, String kind,
                              Instant minute) {
        Double value = value(values, index, series, kind, minute);
        return value == null ? 0 : Math.round(value);
    }

    /**
     * One value of a series: at {@code minute}, or for the totals (one period as long as the window, which CloudWatch
     * may split in two at its alignment) the periods' sum or maximum; a percentile of the first period.
     */
    private static Double value(Map<String, Map<Instant, Double>> values, int index, Series series, String kind,
                                Instant minute) {
        Map<Instant, Double> points = values.getOrDefault(id(index, series, kind), Map.of());
        if (minute != null) {
            return points.get(minute);
        }
        if (points.isEmpty()) {
            return null;
        }
        return switch (series.stat) {
            case "Sum" -> points.values().stream().mapToDouble(Double::doubleValue).sum();
            case "Maximum" -> points.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            default -> points.values().iterator().next();
        };
    }

    private static MetricDataQuery query(String id, String functionName, Series series, int periodSeconds) {
        return MetricDataQuery.builder().id(id).returnData(true).metricStat(MetricStat.builder()
                .metric(Metric.builder().namespace(NAMESPACE).metricName(series.metric)
                        .dimensions(Dimension.builder().name("FunctionName").value(functionName).build()).build())
                .stat(series.stat).period(periodSeconds).build()).build();
    }

    private static String id(int function, Series series, String kind) {
        return "f" + function + "_" + series.name().toLowerCase(java.util.Locale.ROOT) + "_" + kind;
    }
}
