package dev.laambda.cli;

import dev.laambda.cli.Models.ReleasedEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** resource:memory and resource:timeout: one function's limits; each change is a release. */
final class ResourceCommands {

    private ResourceCommands() {
    }

    static List<Object> all(CliContext context) {
        return List.of(new Memory(context), new Timeout(context));
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
}
