package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.cli.Models.EventSource;
import dev.laambda.cli.Models.ReleasedEventSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * event-sources, event-sources:add, event-sources:remove and event-sources:clear: what invokes a function besides
 * its callers (schedules, queues, streams, buckets); each change is a release.
 */
final class EventSourcesCommands {

    private EventSourcesCommands() {
    }

    static List<Object> all(CliContext context) {
        return List.of(new ListSources(context), new Add(context), new Remove(context), new Clear(context));
    }

    private static String sourcesPath(String app, String function) {
        return ApiClient.path("apps", app, "functions", function, "event-sources");
    }

    /** Prints the server's JSON, or {@code done} and the new release's version. */
    private static void report(CliContext context, JsonOption json, JsonNode answer, String doing) {
        if (json.requested()) {
            context.printJson(answer);
            return;
        }
        ReleasedEventSources released = context.json().read(answer, ReleasedEventSources.class);
        context.out().println(doing + "... done, " + ReleaseFormat.version(released.release().version()));
    }

    @Command(name = "event-sources", description = "List a function's event sources.")
    static final class ListSources implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "FUNCTION", description = "The Procfile entry, e.g. worker.")
        private String function;

        @Mixin
        private AppOption appOption;

        @Mixin
        private JsonOption json;

        ListSources(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            JsonNode answer = context.api().get(sourcesPath(app, function));
            if (json.requested()) {
                context.printJson(answer);
                return 0;
            }
            List<EventSource> sources = context.json().readList(answer, EventSource.class);
            if (sources.isEmpty()) {
                context.out().println(app + " " + function + " has no event sources.");
                return 0;
            }
            context.out().println("=== " + app + " " + function + " Event Sources");
            context.printLines(Table.columns(sources.stream()
                    .map(source -> source.note() == null ? List.of(source.source()) : List.of(source.source(),
                            "(" + source.note() + ")"))
                    .toList()));
            return 0;
        }
    }

    @Command(name = "event-sources:add", description = "Invoke a function from schedule:rate(5 minutes), "
            + "schedule:cron(0 12 * * ? *), sqs:ARN, kinesis:ARN, dynamodb:STREAM_ARN or s3:BUCKET[/PREFIX]: a new release.")
    static final class Add implements Callable<Integer> {

        private final CliContext context;

        @Parameters(index = "0", paramLabel = "FUNCTION", description = "The Procfile entry, e.g. worker.")
        private String function;

        @Parameters(index = "1", paramLabel = "SOURCE", description = "The source, e.g. 'schedule:rate(5 minutes)'.")
        private String source;

        @Option(names = "--batch-size", paramLabel = "N", description = "Records per invocation (sqs, kinesis, dynamodb).")
        private Integer batchSize;

        @Option(names = "--starting-position", paramLabel = "LATEST|TRIM_HORIZON",
                description = "Where a stream is read from (kinesis, dynamodb); LATEST by default.")
        private String startingPosition;

        @Mixin
        private AppOption appOption;

        @Mixin
        private JsonOption json;

        Add(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("source", source);
            if (batchSize != null) {
                body.put("batch_size", batchSize);
            }
            if (startingPosition != null) {
                body.put("starting_position", startingPosition);
            }
            JsonNode answer = context.api().post(sourcesPath(context.app(appOption), function), body);
            report(context, json, answer, "Adding " + source + " to " + function);
            return 0;
        }
    }

    @Command(name = "event-sources:remove", description = "Stop invoking a function from one event source: a new release.")
    static final class Remove implements Callable<Integer> {

        private final CliContext context;

        @Parameters(index = "0", paramLabel = "FUNCTION", description = "The Procfile entry, e.g. worker.")
        private String function;

        @Parameters(index = "1", paramLabel = "SOURCE", description = "The source as `laambda event-sources` lists it "
                + "(its options may be left out).")
        private String source;

        @Mixin
        private AppOption appOption;

        @Mixin
        private JsonOption json;

        Remove(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode answer = context.api().delete(sourcesPath(context.app(appOption), function) + "?source="
                    + ApiClient.query(source));
            report(context, json, answer, "Removing " + source + " from " + function);
            return 0;
        }
    }

    @Command(name = "event-sources:clear", description = "Remove every event source of a function: a new release.")
    static final class Clear implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "FUNCTION", description = "The Procfile entry, e.g. worker.")
        private String function;

        @Mixin
        private AppOption appOption;

        @Mixin
        private JsonOption json;

        Clear(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode answer = context.api().delete(sourcesPath(context.app(appOption), function) + "?all=true");
            report(context, json, answer, "Removing every event source of " + function);
            return 0;
        }
    }
}
