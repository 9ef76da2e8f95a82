package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laambda.cli.Models.ReleasedEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** resource:memory, resource:timeout and resource:concurrency: one function's limits; each change is a release. */
final class ResourceCommands {

    private ResourceCommands() {
    }

    static List<Object> all(CliContext context) {
        return List.of(new Memory(context), new Timeout(context), new Concurrency(context));
    }

    /** PATCHes one field of a formation entry and reports the new release. */
    private static void change(CliContext context, AppOption appOption, String entry, String field, int value,
                               String description) {
        String app = context.app(appOption);
        ReleasedEntry answer = context.json().read(
                context.api().patch(ApiClient.path("apps", app, "formation", entry), Map.of(field, value)),
                ReleasedEntry.class);
        context.out().println("Setting " + entry + " " + description + "... done, "
                + ReleaseFormat.version(answer.release().version()));
    }

    @Command(name = "resource:memory", description = "Set a function's memory, 128 to 10240 MB: a new release.")
    static final class Memory implements Callable<Integer> {

        private final CliContext context;

        @Parameters(index = "0", paramLabel = "ENTRY", description = "The Procfile entry, e.g. web.")
        private String entry;

        @Parameters(index = "1", paramLabel = "MB", description = "Memory in MB.")
        private int megabytes;

        @Mixin
        private AppOption appOption;

        Memory(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            change(context, appOption, entry, "memory_mb", megabytes, "memory to " + megabytes + " MB");
            return 0;
        }
    }

    @Command(name = "resource:timeout", description = "Set a function's timeout, 1 to 900 seconds: a new release.")
    static final class Timeout implements Callable<Integer> {

        private final CliContext context;

        @Parameters(index = "0", paramLabel = "ENTRY", description = "The Procfile entry, e.g. web.")
        private String entry;

        @Parameters(index = "1", paramLabel = "SEC", description = "Timeout in seconds.")
        private int seconds;

        @Mixin
        private AppOption appOption;

        Timeout(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            change(context, appOption, entry, "timeout_s", seconds, "timeout to " + seconds + " s");
            return 0;
        }
    }

    @Command(name = "resource:concurrency", description = "Reserve a function's concurrency: at most N instances at once, "
            + "0 switches it off; --clear goes back to the server's limit. A new release.")
    static final class Concurrency implements Callable<Integer> {

        private final CliContext context;

        @Parameters(index = "0", paramLabel = "ENTRY", description = "The Procfile entry, e.g. web.")
        private String entry;

        @Parameters(index = "1", arity = "0..1", paramLabel = "N",
                description = "Instances at once, from 0 to the server's LAAMBDA_FUNCTION_CONCURRENCY.")
        private String instances;

        @Option(names = "--clear", description = "Remove the reservation: the server's limit applies again.")
        private boolean clear;

        @Mixin
        private AppOption appOption;

        @Mixin
        private JsonOption json;

        Concurrency(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            if (clear == (instances != null)) {
                throw new CliException("Give either a number of instances (resource:concurrency " + entry
                        + " 5) or --clear.");
            }
            Integer count = clear ? null : wholeNumber(instances);
            ObjectNode body = context.json().object();
            if (count == null) {
                body.putNull("reserved_concurrency");
            } else {
                body.put("reserved_concurrency", count);
            }
            JsonNode answer = context.api().patch(ApiClient.path("apps", context.app(appOption), "formation", entry), body);
            if (json.requested()) {
                context.printJson(answer);
                return 0;
            }
            ReleasedEntry released = context.json().read(answer, ReleasedEntry.class);
            context.out().println((count == null ? "Resetting " + entry + " concurrency to the server default"
                    : "Setting " + entry + " concurrency to " + count) + "... done, "
                    + ReleaseFormat.version(released.release().version()));
            return 0;
        }

        private static int wholeNumber(String text) {
            try {
                return Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new CliException("Concurrency must be a whole number of instances, like 5 (got '" + text + "').");
            }
        }
    }
}
