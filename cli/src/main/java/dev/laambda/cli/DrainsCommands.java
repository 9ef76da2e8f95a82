package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.cli.Models.Drain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** drains, drains:add and drains:remove: where an app's log stream is forwarded (Papertrail, ELK, Graylog…). */
final class DrainsCommands {

    private DrainsCommands() {
    }

    static List<Object> all(CliContext context) {
        return List.of(new ListDrains(context), new Add(context), new Remove(context));
    }

    @Command(name = "drains", description = "List an app's log drains.")
    static final class ListDrains implements Callable<Integer> {

        private final CliContext context;

        @Mixin
        private AppOption appOption;

        @Mixin
        private JsonOption json;

        ListDrains(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            JsonNode answer = context.api().get(ApiClient.path("apps", app, "drains"));
            if (json.requested()) {
                context.printJson(answer);
                return 0;
            }
            context.out().println("=== " + app + " Drains");
            context.printLines(Table.columns(context.json().readList(answer, Drain.class).stream()
                    .map(drain -> List.of(String.valueOf(drain.id()), drain.url(), Timestamps.minutes(drain.createdAt())))
                    .toList()));
            return 0;
        }
    }

    @Command(name = "drains:add", description = "Forward an app's log stream to syslog+tls://HOST:PORT, "
            + "syslog://HOST:PORT or https://HOST/PATH (newline-delimited JSON).")
    static final class Add implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "URL", description = "Where the lines go, e.g. syslog+tls://logs.papertrailapp.com:12345.")
        private String url;

        @Mixin
        private AppOption appOption;

        Add(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            Drain drain = context.json().read(context.api().post(ApiClient.path("apps", app, "drains"),
                    Map.of("url", url)), Drain.class);
            context.out().println("Successfully added drain " + drain.shown() + " to " + app + " (id " + drain.id() + ")");
            return 0;
        }
    }

    @Command(name = "drains:remove", description = "Stop forwarding an app's log stream to a drain.")
    static final class Remove implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "URL|ID", description = "The drain's URL or its id, as `laambda drains` lists them.")
        private String drain;

        @Mixin
        private AppOption appOption;

        Remove(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            Drain found = context.json().readList(context.api().get(ApiClient.path("apps", app, "drains")), Drain.class)
                    .stream().filter(d -> d.url().equals(drain.strip()) || String.valueOf(d.id()).equals(drain.strip()))
                    .findFirst().orElseThrow(() -> new CliException("App " + app + " has no drain '" + drain
                            + "': see `laambda drains -a " + app + "`."));
            context.api().delete(ApiClient.path("apps", app, "drains", String.valueOf(found.id())));
            context.out().println("Successfully removed drain " + found.shown() + " from " + app);
            return 0;
        }
    }
}
