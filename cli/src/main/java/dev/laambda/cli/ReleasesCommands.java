package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.cli.Models.App;
import dev.laambda.cli.Models.Release;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** releases, releases:info and rollback. */
final class ReleasesCommands {

    private ReleasesCommands() {
    }

    static List<Object> all(CliContext context) {
        return List.of(new ListReleases(context), new Info(context), new Rollback(context));
    }

    @Command(name = "releases", description = "List an app's releases, newest first.")
    static final class ListReleases implements Callable<Integer> {

        private final CliContext context;

        @Option(names = {"-n", "--num"}, paramLabel = "N", defaultValue = "15",
                description = "How many releases to show, 1 to 100 (default: ${DEFAULT-VALUE}).")
        private int limit;

        @Mixin
        private AppOption appOption;

        @Mixin
        private JsonOption json;

        ListReleases(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            ApiClient api = context.api();
            JsonNode answer = api.get(ApiClient.path("apps", app, "releases") + "?limit=" + limit);
            if (json.requested()) {
                context.printJson(answer);
                return 0;
            }
            List<Release> releases = context.json().readList(answer, Release.class);
            // The current release may be older than the listed ones (-n): then the app tells it.
            Integer current = releases.stream().filter(Release::current).map(Release::version).findFirst()
                    .orElseGet(() -> context.json().read(api.get(ApiClient.path("apps", app)), App.class).currentRelease());
            context.out().println(ReleaseFormat.header(app, current));
            context.printLines(ReleaseFormat.rows(releases));
            return 0;
        }
    }

    @Command(name = "releases:info", description = "Show one release: what made it, its config keys and functions.")
    static final class Info implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "VERSION", description = "The release, like v3 (or 3).")
        private String version;

        @Mixin
        private AppOption appOption;

        @Mixin
        private JsonOption json;

        Info(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            int number = ReleaseFormat.parseVersion(version);
            String app = context.app(appOption);
            JsonNode answer = context.api().get(ApiClient.path("apps", app, "releases", String.valueOf(number)));
            if (json.requested()) {
                context.printJson(answer);
                return 0;
            }
            Release release = context.json().read(answer, Release.class);
            context.out().println("=== Release " + ReleaseFormat.version(release.version()));
            context.printLines(Table.fields(ReleaseFormat.fields(release)));
            return 0;
        }
    }

    @Command(name = "rollback", description = "Make a new release with an earlier release's code, config and functions.")
    static final class Rollback implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "VERSION", description = "The release to go back to, like v3 (or 3).")
        private String version;

        @Mixin
        private AppOption appOption;

        Rollback(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            int number = ReleaseFormat.parseVersion(version);
            String app = context.app(appOption);
            Release release = context.json().read(context.api().post(
                    ApiClient.path("apps", app, "releases", String.valueOf(number), "rollback"), null), Release.class);
            context.out().println("Rolling back " + app + " to " + ReleaseFormat.version(number) + "... done, "
                    + ReleaseFormat.version(release.version()));
            return 0;
        }
    }
}
