package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.cli.Models.Collaborator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** access, access:add and access:remove: who may work on an app. */
final class AccessCommands {

    private AccessCommands() {
    }

    static List<Object> all(CliContext context) {
        return List.of(new ListAccess(context), new Add(context), new Remove(context));
    }

    @Command(name = "access", description = "List who has access to an app: its owner and collaborators.")
    static final class ListAccess implements Callable<Integer> {

        private final CliContext context;

        @Mixin
        private AppOption appOption;

        @Mixin
        private JsonOption json;

        ListAccess(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            JsonNode answer = context.api().get(ApiClient.path("apps", app, "collaborators"));
            if (json.requested()) {
                context.printJson(answer);
                return 0;
            }
            List<List<String>> rows = context.json().readList(answer, Collaborator.class).stream()
                    .map(collaborator -> List.of(collaborator.email(), collaborator.role()))
                    .toList();
            context.out().println("=== " + app + " Access");
            context.printLines(Table.columns(rows));
            return 0;
        }
    }

    @Command(name = "access:add", description = "Let a user work on an app as a collaborator.")
    static final class Add implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "EMAIL", description = "The user's e-mail address.")
        private String email;

        @Mixin
        private AppOption appOption;

        Add(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            context.api().post(ApiClient.path("apps", app, "collaborators"), Map.of("email", email));
            context.out().println("Adding " + email + " access to the app " + app + "... done");
            return 0;
        }
    }

    @Command(name = "access:remove", description = "Take a collaborator's access to an app away.")
    static final class Remove implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "EMAIL", description = "The collaborator's e-mail address.")
        private String email;

        @Mixin
        private AppOption appOption;

        Remove(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = context.app(appOption);
            context.api().delete(ApiClient.path("apps", app, "collaborators", email));
            context.out().println("Removing " + email + " access from the app " + app + "... done");
            return 0;
        }
    }
}
