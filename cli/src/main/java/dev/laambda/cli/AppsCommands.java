package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.cli.Models.App;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** apps, apps:create, apps:info and apps:destroy. */
final class AppsCommands {

    private AppsCommands() {
    }

    static List<Object> all(CliContext context) {
        return List.of(new ListApps(context), new Create(context), new Info(context), new Destroy(context),
                new GitRemote(context));
    }

    @Command(name = "apps", description = "List the apps you own or collaborate on.")
    static final class ListApps implements Callable<Integer> {

        private final CliContext context;

        @Mixin
        private JsonOption json;

        ListApps(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode answer = context.api().get("/apps");
            if (json.requested()) {
                context.printJson(answer);
                return 0;
            }
            List<App> apps = context.json().readList(answer, App.class);
            if (apps.isEmpty()) {
                context.out().println("You have no apps.");
                return 0;
            }
            context.out().println("=== Apps");
            context.printLines(Table.columns(apps.stream()
                    .map(app -> List.of(app.name(), platform(app), app.region() == null ? "" : app.region())).toList()));
            return 0;
        }
    }

    @Command(name = "apps:create", description = "Create an app; its first release is v1.")
    static final class Create implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "NAME", description = "Lowercase letters, digits and dashes, starting with a letter.")
        private String name;

        @Option(names = "--platform", paramLabel = "PLATFORM",
                description = "Where its functions run: local or aws (default: the server's LAAMBDA_PLATFORM).")
        private String platform;

        @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: the server's).")
        private String region;

        @Option(names = "--role", paramLabel = "ARN",
                description = "IAM role ARN the functions run as; required with --platform aws.")
        private String role;

        @Option(names = "--runtime", paramLabel = "RUNTIME",
                description = "Lambda runtime, e.g. python3.12 (default: the buildpack's).")
        private String runtime;

        Create(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("name", name);
            putIfGiven(body, "platform", platform);
            putIfGiven(body, "region", region);
            putIfGiven(body, "role_arn", role);
            putIfGiven(body, "runtime", runtime);
            App app = context.json().read(context.api().post("/apps", body), App.class);
            context.out().println("Creating " + app.name() + "... done"
                    + (app.currentRelease() == null ? "" : ", " + ReleaseFormat.version(app.currentRelease())));
            context.out().println(app.gitUrl());
            Git git = context.git();
            if (git.insideRepo()) {
                git.setRemote(AppResolver.REMOTE, app.gitUrl());
                context.out().println("Git remote " + AppResolver.REMOTE + " added: git push " + AppResolver.REMOTE + " main");
            }
            return 0;
        }

        private static void putIfGiven(Map<String, String> body, String key, String value) {
            if (value != null) {
                body.put(key, value);
            }
        }
    }

    @Command(name = "apps:info", description = "Show an app: owner, platform, region, role, runtime and current release.")
    static final class Info implements Callable<Integer> {

        private final CliContext context;

        @Mixin
        private AppOption appOption;

        @Mixin
        private JsonOption json;

        Info(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String name = context.app(appOption);
            JsonNode answer = context.api().get(ApiClient.path("apps", name));
            if (json.requested()) {
                context.printJson(answer);
                return 0;
            }
            App app = context.json().read(answer, App.class);
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("Owner", app.owner());
            fields.put("Platform", platform(app));
            fields.put("Region", app.region());
            fields.put("Role", app.roleArn() == null ? "(none)" : app.roleArn());
            fields.put("Runtime", app.runtime() == null ? "(from the buildpack)" : app.runtime());
            fields.put("Current release",
                    app.currentRelease() == null ? "(none)" : ReleaseFormat.version(app.currentRelease()));
            fields.put("Git URL", app.gitUrl());
            fields.put("Created", Timestamps.minutes(app.createdAt()));
            if ("aws".equals(app.platform()) && app.currentRelease() != null) {
                // Each function's ARN and where live points, and the web entry's Function URL.
                for (Models.FormationEntry entry : context.json().readList(
                        context.api().get(ApiClient.path("apps", name, "formation")), Models.FormationEntry.class)) {
                    fields.put("Function " + entry.entry(), entry.arn() == null ? entry.functionName() + " (" + entry.state()
                            + ")" : entry.arn() + " (live: version " + entry.liveVersion() + ")");
                    if (entry.url() != null) {
                        fields.put("Function URL", entry.url());
                    }
                }
            }
            context.out().println("=== " + app.name());
            context.printLines(Table.fields(fields));
            return 0;
        }
    }

    /** A server from before platforms ran every app locally, and its answers name no platform. */
    private static String platform(App app) {
        return app.platform() == null ? "local" : app.platform();
    }

    @Command(name = "apps:destroy", description = "Destroy an app and all its releases, for good.")
    static final class Destroy implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "NAME", arity = "0..1", description = "The app (or give it with --app).")
        private String name;

        @Mixin
        private AppOption appOption;

        @Option(names = "--confirm", paramLabel = "NAME", description = "The app's name again, to confirm.")
        private String confirm;

        Destroy(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            if (name != null && appOption.name() != null && !name.equals(appOption.name())) {
                throw new CliException("Two different apps given: '" + name + "' and --app '" + appOption.name() + "'.");
            }
            String app = name != null ? name : context.app(appOption);
            if (!app.equals(confirm)) {
                throw new CliException("This will destroy app '" + app + "' and its releases. Re-run with --confirm "
                        + app + ".");
            }
            // The server checks the confirmation too: send what was given, not the name it should match.
            context.api().delete(ApiClient.path("apps", app) + "?confirm=" + ApiClient.query(confirm));
            context.out().println("Destroying " + app + " (including all releases)... done");
            return 0;
        }
    }

    @Command(name = "git:remote", description = "Add or update the 'laambda' git remote of this repository.")
    static final class GitRemote implements Callable<Integer> {

        private final CliContext context;

        @Mixin
        private AppOption appOption;

        GitRemote(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Git git = context.git();
            if (!git.insideRepo()) {
                throw new CliException("Not inside a git repository: cd into your app's repository first.");
            }
            String name = context.app(appOption);
            App app = context.json().read(context.api().get(ApiClient.path("apps", name)), App.class);
            git.setRemote(AppResolver.REMOTE, app.gitUrl());
            context.out().println("Git remote " + AppResolver.REMOTE + " set to " + app.gitUrl());
            return 0;
        }
    }
}
