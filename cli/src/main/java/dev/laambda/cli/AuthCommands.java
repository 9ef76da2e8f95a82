package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.cli.Models.User;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** login and whoami: who the CLI talks to the server as. */
final class AuthCommands {

    private AuthCommands() {
    }

    static List<Object> all(CliContext context) {
        return List.of(new LoginCommand(context), new Whoami(context));
    }

    @Command(name = "login", description = "Log in to a Laambda server with an API token and remember both.")
    static final class LoginCommand implements Callable<Integer> {

        private final CliContext context;

        @Option(names = "--server", paramLabel = "URL",
                description = "The server (default: LAAMBDA_SERVER, else the one logged in to before, else "
                        + CliContext.DEFAULT_SERVER + ").")
        private String server;

        @Option(names = "--token", paramLabel = "TOKEN",
                description = "The API token (default: read one line from standard input).")
        private String token;

        LoginCommand(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String url = ApiClient.serverUrl(server != null ? server : context.defaultServer());
            String secret = token != null ? token.trim() : context.readSecret("Token: ");
            if (secret == null || secret.isEmpty()) {
                throw new CliException("No token given: pass --token TOKEN or type it at the prompt.");
            }
            Login login = new Login(url, secret);
            User user = context.json().read(context.api(login).get("/user"), User.class);
            context.config().write(login);
            context.out().println("Logged in as " + user.email());
            return 0;
        }
    }

    @Command(name = "whoami", description = "Show the e-mail address of the logged-in user.")
    static final class Whoami implements Callable<Integer> {

        private final CliContext context;

        @Mixin
        private JsonOption json;

        Whoami(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode answer = context.api().get("/user");
            if (json.requested()) {
                context.printJson(answer);
            } else {
                context.out().println(context.json().read(answer, User.class).email());
            }
            return 0;
        }
    }
}
