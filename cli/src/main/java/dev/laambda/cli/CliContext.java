package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a command may use of the outside world, handed in once per run so commands can be run in-process:
 * the environment, the working directory, the standard streams, the stored login and the API.
 */
final class CliContext {

    static final String DEFAULT_SERVER = "http://localhost:5000";
    static final String SERVER_VARIABLE = "LAAMBDA_SERVER";
    static final String TOKEN_VARIABLE = "LAAMBDA_TOKEN";
    static final String NOT_LOGGED_IN = "Not logged in: run 'laambda login --server URL'.";

    private final Map<String, String> env;
    private final Path workingDir;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Console console;
    private final Json json = new Json();
    private final CliConfig config;

    /** {@code console} is the terminal to read the token from without echo, or null when there is none. */
    CliContext(Map<String, String> env, Path workingDir, InputStream in, PrintStream out, PrintStream err,
               Console console) {
        this.env = Map.copyOf(env);
        this.workingDir = workingDir;
        this.in = in;
        this.out = out;
        this.err = err;
        this.console = console;
        this.config = new CliConfig(CliConfig.defaultDir(this.env), json);
    }

    PrintStream err() {
        return err;
    }

    PrintStream out() {
        return out;
    }

    Json json() {
        return json;
    }

    CliConfig config() {
        return config;
    }

    /** An environment variable, null when unset or blank. */
    private String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** The login to use: LAAMBDA_SERVER and LAAMBDA_TOKEN override the config file; without a token, not logged in. */
    Login login() {
        String server = env(SERVER_VARIABLE);
        String token = env(TOKEN_VARIABLE);
        if (server == null || token == null) {
            Optional<Login> stored = config.read();
            server = server != null ? server : stored.map(Login::server).orElse(null);
            token = token != null ? token : stored.map(Login::token).orElse(null);
        }
        if (token == null) {
            throw new CliException(NOT_LOGGED_IN);
        }
        return new Login(server == null ? DEFAULT_SERVER : server, token);
    }

    /**
     * The server to log in to when none is given: LAAMBDA_SERVER, else the stored one, else the default.
     * A config file that cannot be read is no obstacle here: logging in writes a new one.
     */
    String defaultServer() {
        if (env(SERVER_VARIABLE) != null) {
            return env(SERVER_VARIABLE);
        }
        try {
            return config.read().map(Login::server).orElse(DEFAULT_SERVER);
        } catch (CliException unreadable) {
            return DEFAULT_SERVER;
        }
    }

    /** The API as the logged-in user. */
    ApiClient api() {
        return api(login());
    }

    ApiClient api(Login login) {
        return new ApiClient(login, json);
    }

    /** The app from --app, else from the 'laambda' git remote of the working directory. */
    String app(AppOption option) {
        return new AppResolver(git()).resolve(option.name());
    }

    /** The user's git, in the working directory. */
    Git git() {
        return new Git(workingDir);
    }

    Path workingDir() {
        return workingDir;
    }

    /** The user's home directory (HOME first, as a shell sees it). */
    Path home() {
        String home = env("HOME");
        return Path.of(home != null ? home : System.getProperty("user.home"));
    }

    void printJson(JsonNode node) {
        out.println(json.pretty(node));
    }

    void printLines(Iterable<String> lines) {
        lines.forEach(out::println);
    }

    /** Prompts on stderr and reads one line: without echo from a terminal, else from standard input. */
    String readSecret(String prompt) {
        err.print(prompt);
        err.flush();
        if (console != null) {
            char[] secret = console.readPassword();
            return secret == null ? null : new String(secret).trim();
        }
        try {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            return line == null ? null : line.trim();
        } catch (IOException e) {
            throw new CliException("Cannot read the token from standard input: " + e.getMessage() + ".");
        }
    }
}
