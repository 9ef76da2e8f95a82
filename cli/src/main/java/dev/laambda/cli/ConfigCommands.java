package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laambda.cli.Models.ReleasedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** config, config:get, config:set, config:unset and config:clear: an app's environment; each change is a release. */
final class ConfigCommands {

    private ConfigCommands() {
    }

    static List<Object> all(CliContext context) {
        return List.of(new ShowConfig(context), new GetVar(context), new SetVars(context), new UnsetVars(context),
                new ClearVars(context));
    }

    /** "KEY=VALUE" arguments in order, split at the first '='; refuses the first one without a key. */
    static Map<String, String> assignments(List<String> arguments) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String argument : arguments) {
            int equals = argument.indexOf('=');
            if (equals <= 0) {
                throw new CliException("Invalid argument '" + argument + "': use KEY=VALUE.");
            }
            values.put(argument.substring(0, equals), argument.substring(equals + 1));
        }
        return values;
    }

    private static String done(ReleasedConfig answer) {
        return "done, " + ReleaseFormat.version(answer.release().version());
    }

    @Command(name = "config", description = "Show an app's config vars.")
    static final class ShowConfig implements Callable<Integer> {

        private final CliContext context;

        @Mixin
        private AppOption appOption;

        @Mixin
        private JsonOption json;

        ShowConfig(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            JsonNode answer = context.api().get(ApiClient.path("apps", app, "config"));
            if (json.requested()) {
                context.printJson(answer);
                return 0;
            }
            Map<String, String> config = new TreeMap<>();
            answer.properties().forEach(field -> config.put(field.getKey(), field.getValue().asText()));
            context.out().println("=== " + app + " Config Vars");
            context.printLines(Table.fields(config));
            return 0;
        }
    }

    @Command(name = "config:get", description = "Print one config var's value.")
    static final class GetVar implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "KEY")
        private String key;

        @Mixin
        private AppOption appOption;

        GetVar(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            JsonNode answer = context.api().get(ApiClient.path("apps", app, "config", key));
            context.out().println(answer.path("value").asText());
            return 0;
        }
    }

    @Command(name = "config:set", description = "Set config vars and restart the app: a new release.")
    static final class SetVars implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "KEY=VALUE", arity = "1..*")
        private List<String> arguments;

        @Mixin
        private AppOption appOption;

        SetVars(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Map<String, String> values = assignments(arguments);
            String app = context.app(appOption);
            ReleasedConfig answer = context.json().read(
                    context.api().patch(ApiClient.path("apps", app, "config"), values), ReleasedConfig.class);
            context.out().println("Setting " + String.join(", ", values.keySet()) + " and restarting " + app + "... "
                    + done(answer));
            Map<String, String> set = new LinkedHashMap<>();
            values.forEach((key, value) -> set.put(key,
                    answer.config() != null && answer.config().containsKey(key) ? answer.config().get(key) : value));
            context.printLines(Table.fields(set));
            return 0;
        }
    }

    @Command(name = "config:unset", description = "Unset config vars and restart the app: a new release.")
    static final class UnsetVars implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "KEY", arity = "1..*")
        private List<String> keys;

        @Mixin
        private AppOption appOption;

        UnsetVars(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            ObjectNode nulls = context.json().object();
            Set<String> unique = new LinkedHashSet<>(keys);
            unique.forEach(nulls::putNull);
            ReleasedConfig answer = context.json().read(
                    context.api().patch(ApiClient.path("apps", app, "config"), nulls), ReleasedConfig.class);
            context.out().println("Unsetting " + String.join(", ", unique) + " and restarting " + app + "... "
                    + done(answer));
            return 0;
        }
    }

    @Command(name = "config:clear", description = "Remove every config var and restart the app: a new release.")
    static final class ClearVars implements Callable<Integer> {

        private final CliContext context;

        @Option(names = "--confirm", description = "Confirm that every config var goes.")
        private boolean confirm;

        @Mixin
        private AppOption appOption;

        ClearVars(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            if (!confirm) {
                throw new CliException("This will remove every config var of app '" + app
                        + "'. Re-run with --confirm.");
            }
            ReleasedConfig answer = context.json().read(
                    context.api().delete(ApiClient.path("apps", app, "config") + "?confirm=" + ApiClient.query(app)),
                    ReleasedConfig.class);
            context.out().println("Clearing every config var and restarting " + app + "... " + done(answer));
            return 0;
        }
    }
}
