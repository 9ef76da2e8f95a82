package dev.laambda.api;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;
import dev.laambda.metrics.FunctionReport;
import dev.laambda.metrics.MetricsFlusher;
import dev.laambda.metrics.MetricsWindow;
import dev.laambda.platform.PlatformKind;
import dev.laambda.platform.aws.AwsClients;
import dev.laambda.platform.aws.LambdaMetrics;
import dev.laambda.release.Apps;
import dev.laambda.release.FormationEntry;
import dev.laambda.release.Releases;
import dev.laambda.store.App;
import dev.laambda.store.FunctionMetricsRepository;
import dev.laambda.store.FunctionMinute;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /api/v1/apps/{app}/metrics?entry=E&since=1h: per function per minute, what its invocations did — from the
 * function_metrics table for local apps, from CloudWatch for AWS ones.
 */
public final class MetricsApi {

    /** The answer: the window (whole minutes) and one report per function, in Procfile-entry order. */
    record MetricsView(String app, String platform, Instant from, Instant to, List<FunctionReport> functions) {
    }

    private final Apps apps;
    private final Releases releases;
    private final MetricsFlusher flusher;
    private final FunctionMetricsRepository store;
    private final AwsClients aws;
    private final Clock clock;

    public MetricsApi(Apps apps, Releases releases, MetricsFlusher flusher, FunctionMetricsRepository store,
                      AwsClients aws, Clock clock) {
        this.apps = apps;
        this.releases = releases;
        this.flusher = flusher;
        this.store = store;
        this.aws = aws;
        this.clock = clock;
    }

    void metrics(Context ctx) {
        App app = apps.get(Caller.of(ctx), ctx.pathParam("app"));
        Duration window = MetricsWindow.parse(ctx.queryParam("since"));
        Map<String, String> functions = functions(app, ctx.queryParam("entry"));
        Instant to = Instant.now(clock);
        Instant from = to.truncatedTo(ChronoUnit.MINUTES).minus(window).plus(Duration.ofMinutes(1));
        List<FunctionReport> reports = app.platform() == PlatformKind.AWS
                ? new LambdaMetrics(aws.cloudWatch(app.region())).read(functions, from, to)
                : local(app, functions, from);
        ctx.json(new MetricsView(app.name(), app.platform().name().toLowerCase(java.util.Locale.ROOT), from, to, reports));
    }

    private List<FunctionReport> local(App app, Map<String, String> functions, Instant from) {
        // The minutes this server counted but has not stored yet go in first, so a read sees every invocation it served.
        flusher.flush();
        Map<String, List<FunctionMinute>> byFunction = new LinkedHashMap<>();
        for (FunctionMinute minute : store.since(app.id(), from)) {
            byFunction.computeIfAbsent(minute.functionName(), name -> new java.util.ArrayList<>()).add(minute);
        }
        return functions.entrySet().stream().map(function -> FunctionReport.of(function.getKey(), function.getValue(),
                byFunction.getOrDefault(function.getValue(), List.of()))).toList();
    }

    /** Entry → function name of the current release: every entry, or the one asked for (404 when it has none). */
    private Map<String, String> functions(App app, String entry) {
        Map<String, FormationEntry> entries = releases.formation(app).entries();
        Map<String, String> functions = new LinkedHashMap<>();
        if (entry != null) {
            FormationEntry function = entries.get(entry);
            if (function == null) {
                throw LaambdaException.notFound("entry_not_found", "App '" + app.name() + "' has no Procfile entry '"
                        + Echo.of(entry) + "' (see `laambda functions`).");
            }
            functions.put(entry, function.functionName());
            return functions;
        }
        entries.forEach((name, function) -> functions.put(name, function.functionName()));
        return functions;
    }
}
