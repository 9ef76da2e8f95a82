package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.cli.Models.Token;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * tokens, tokens:create, tokens:revoke, and users:create for admins. A new token is printed once, on
 * purpose: it is the one moment its owner can copy it; the server keeps only its hash.
 */
final class TokensCommands {

    private TokensCommands() {
    }

    static List<Object> all(CliContext context) {
        return List.of(new ListTokens(context), new Create(context), new Revoke(context), new CreateUser(context));
    }

    @Command(name = "tokens", description = "List your API tokens.")
    static final class ListTokens implements Callable<Integer> {

        private final CliContext context;

        @Mixin
        private JsonOption json;

        ListTokens(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode answer = context.api().get("/tokens");
            if (json.requested()) {
                context.printJson(answer);
                return 0;
            }
            context.out().println("=== API tokens");
            context.printLines(Table.columns(context.json().readList(answer, Token.class).stream()
                    .map(token -> List.of(String.valueOf(token.id()), token.description(),
                            Timestamps.minutes(token.createdAt()),
                            token.revokedAt() == null ? "" : "revoked " + Timestamps.minutes(token.revokedAt())))
                    .toList()));
            return 0;
        }
    }

    @Command(name = "tokens:create", description = "Create an API token; it is shown once.")
    static final class Create implements Callable<Integer> {

        private final CliContext context;

        @Option(names = "--description", paramLabel = "TEXT", description = "What the token is for.")
        private String description = "";

        Create(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode token = context.api().post("/tokens", Map.of("description", description));
            context.out().println("Created token " + token.get("id").asText() + ". Copy it now, it is not shown again:");
            context.out().println(token.get("token").asText());
            return 0;
        }
    }

    @Command(name = "tokens:revoke", description = "Revoke one of your API tokens.")
    static final class Revoke implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "ID", description = "As `laambda tokens` shows it.")
        private String id;

        Revoke(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.api().delete(ApiClient.path("tokens", id));
            context.out().println("Revoking token " + id + "... done");
            return 0;
        }
    }

    @Command(name = "users:create", description = "Create a user and print their first API token (admins only).")
    static final class CreateUser implements Callable<Integer> {

        private final CliContext context;

        @Parameters(paramLabel = "EMAIL", description = "The new user's e-mail address.")
        private String email;

        @Option(names = "--admin", description = "Make the user an admin.")
        private boolean admin;

        CreateUser(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode created = context.api().post("/users", Map.of("email", email, "is_admin", admin));
            context.out().println("Created " + (admin ? "admin " : "user ") + email
                    + ". Give them this API token for `laambda login` (shown once):");
            context.out().println(created.get("token").asText());
            return 0;
        }
    }
}
