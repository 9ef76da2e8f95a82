package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.cli.Models.Build;
import dev.laambda.cli.Models.FormationEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** builds, builds:info and functions: what git push built and what it runs. */
final class BuildsCommands {

    private BuildsCommands() {
    }

    static List<Object> all(CliContext context) {
        return List.of(new ListBuilds(context), new Info(context), new ClearCache(context), new Functions(context));
    }

    @Command(name = "builds:cache:clear", description = "Clear the app's build cache: the next push installs every dependency again.")
    static final class ClearCache implements Callable<Integer> {

        private final CliContext context;

        @Mixin
        private AppOption appOption;

        ClearCache(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            context.api().delete(ApiClient.path("apps", app, "build-cache"));
            context.out().println("Build cache of " + app + " cleared: the next push builds from scratch.");
            return 0;
        }
    }

    @Command(name = "builds", description = "List an app's builds, newest first.")
    static final class ListBuilds implements Callable<Integer> {

        private final CliContext context;

        @Mixin
        private AppOption appOption;

        @Mixin
        private JsonOption json;

        ListBuilds(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            JsonNode answer = context.api().get(ApiClient.path("apps", app, "builds"));
            if (json.requested()) {
                context.printJson(answer);
                return 0;
            }
            context.out().println("=== " + app + " Builds");
            context.printLines(Table.columns(context.json().readList(answer, Build.class).stream()
                    .map(build -> List.of(String.valueOf(build.id()), shortSha(build.gitSha()), build.status(),
                            Timestamps.minutes(build.startedAt())))
                    .toList()));
            return 0;
        }
    }

    @Command(name = "builds:info", description = "Show one build and its log.")
    static final class Info implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "ID", description = "As `laambda builds` shows it.")
        private String id;

        @Mixin
        private AppOption appOption;

        @Mixin
        private JsonOption json;

        Info(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            JsonNode answer = context.api().get(ApiClient.path("apps", app, "builds", id));
            if (json.requested()) {
                context.printJson(answer);
                return 0;
            }
            Build build = context.json().read(answer, Build.class);
            context.out().println("=== Build " + build.id() + " of " + app + " (" + build.status() + ", "
                    + shortSha(build.gitSha()) + ")");
            context.out().print(build.log());
            return 0;
        }
    }

    @Command(name = "functions", description = "List the functions of an app's current release, one per Procfile entry.")
    static final class Functions implements Callable<Integer> {

        private final CliContext context;

        @Mixin
        private AppOption appOption;

        @Mixin
        private JsonOption json;

        Functions(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            JsonNode answer = context.api().get(ApiClient.path("apps", app, "formation"));
            if (json.requested()) {
                context.printJson(answer);
                return 0;
            }
            List<FormationEntry> entries = context.json().readList(answer, FormationEntry.class);
            context.out().println("=== " + app + " Functions");
            if (entries.isEmpty()) {
                context.out().println("No functions yet: git push laambda main");
                return 0;
            }
            // On AWS Lambda, which keeps its instances to itself, a function shows where its alias live points.
            boolean onAws = entries.stream().anyMatch(entry -> entry.arn() != null);
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("ENTRY", "FUNCTION", "HANDLER", "RUNTIME", "MEMORY", "TIMEOUT", "CONCURRENCY", "STATE",
                    onAws ? "LIVE VERSION" : "INSTANCES"));
            for (FormationEntry entry : entries) {
                rows.add(List.of(entry.entry(), entry.functionName(), entry.handler(), entry.runtime(),
                        entry.memoryMb() + " MB", entry.timeoutS() + " s", ReleaseFormat.concurrency(entry),
                        String.valueOf(entry.state()),
                        onAws ? String.valueOf(entry.liveVersion()) : instances(entry)));
            }
            context.printLines(Table.columns(rows));
            return 0;
        }
    }

    /** "cold", or how many instances are warm and busy: "1 warm, 2 busy". */
    private static String instances(FormationEntry entry) {
        int warm = entry.warmInstances() == null ? 0 : entry.warmInstances();
        int busy = entry.busyInstances() == null ? 0 : entry.busyInstances();
        if (warm == 0 && busy == 0) {
            return "cold";
        }
        return busy == 0 ? warm + " warm" : warm == 0 ? busy + " busy" : warm + " warm, " + busy + " busy";
    }

    private static String shortSha(String sha) {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}
