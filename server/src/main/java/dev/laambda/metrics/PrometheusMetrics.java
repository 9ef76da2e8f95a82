package dev.laambda.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * GET /metrics for operators, in Prometheus's text format: every function's running totals labelled by app and
 * function, the server's own HTTP requests, gauges the wiring adds (builds running, instances) and the JVM's.
 */
public final class PrometheusMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final FunctionMetrics functions;
    private final LongFunction<Optional<String>> appNames;
    private final Set<FunctionMetrics.FunctionKey> registered = ConcurrentHashMap.newKeySet();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** {@code appNames}: an app's name by its id, empty once the app is gone. */
    public PrometheusMetrics(FunctionMetrics functions, LongFunction<Optional<String>> appNames) {
        this.functions = functions;
        this.appNames = appNames;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** A gauge read at every scrape, such as builds running; {@code tags} are name, value pairs. */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        Gauge.builder(name, value).description(description).tags(tags).register(registry);
    }

    /** One HTTP request the server answered; {@code route} is its route template (/api/v1/apps/{app}), never the path. */
    public void httpRequest(String method, String route, int status, Duration took) {
        Timer.builder("laambda.http.requests").description("HTTP requests the server answered")
                .tags("method", method, "route", route, "status", String.valueOf(status))
                .register(registry).record(took);
    }

    /** Everything, in Prometheus's text exposition format (version 0.0.4). */
    public String scrape() {
        registerNewFunctions();
        return registry.scrape();
    }

    /** Functions first invoked since the last scrape get their meters now, off the invoke path (the app's name is a query). */
    private void registerNewFunctions() {
        for (Map.Entry<FunctionMetrics.FunctionKey, FunctionMetrics.Totals> entry : functions.totals().entrySet()) {
            FunctionMetrics.FunctionKey key = entry.getKey();
            if (registered.contains(key)) {
                continue;
            }
            Optional<String> app = appNames.apply(key.appId());
            if (app.isEmpty()) {
                continue;
            }
            FunctionMetrics.Totals totals = entry.getValue();
            String[] tags = {"app", app.get(), "function", key.functionName()};
            counter("laambda.function.invocations", "Invocations that ran", totals, t -> t.invocations, tags);
            counter("laambda.function.errors", "Invocations that failed (function errors and timeouts)", totals,
                    t -> t.errors, tags);
            counter("laambda.function.throttles", "Invocations refused with 429 (TooManyRequestsException)", totals,
                    t -> t.throttles, tags);
            counter("laambda.function.timeouts", "Invocations stopped at the function's timeout", totals,
                    t -> t.timeouts, tags);
            counter("laambda.function.cold.starts", "Invocations that started an instance", totals,
                    t -> t.coldStarts, tags);
            FunctionTimer.builder("laambda.function.duration", totals, t -> t.invocations.sum(),
                            t -> t.durationNanos.sum(), TimeUnit.NANOSECONDS)
                    .description("Duration of the invocations that ran").tags(tags).register(registry);
            registered.add(key);
        }
    }

    private void counter(String name, String description, FunctionMetrics.Totals totals,
                         Function<FunctionMetrics.Totals, LongAdder> adder, String... tags) {
        FunctionCounter.builder(name, totals, t -> adder.apply(t).sum()).description(description).tags(tags)
                .register(registry);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
