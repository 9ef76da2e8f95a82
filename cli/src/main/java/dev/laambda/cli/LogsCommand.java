package dev.laambda.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * logs: the app's log stream, as `heroku logs` shows it — function output, router, release and build lines.
 * Filters apply before -n. --tail keeps printing each line as it is stored, across deploys and server restarts
 * (it resumes after the last line it printed), until Ctrl-C.
 */
@Command(name = "logs", description = "Show the app's log stream: its functions' output and the router, release and "
        + "build lines; --tail keeps following it.")
final class LogsCommand implements Callable<Integer> {

    /** How long a broken tail waits before it resumes. */
    static final long RESUME_AFTER_MILLIS = 1000;

    private final CliContext context;

    @Mixin
    private AppOption appOption;

    @Mixin
    private JsonOption json;

    @Option(names = {"-n", "--num"}, paramLabel = "N", description = "How many of the newest lines (default 100, at most "
            + "10000), counted after the filters.")
    private int lines = 100;

    @Option(names = {"-t", "--tail"}, description = "Keep printing new lines as they arrive, until Ctrl-C.")
    private boolean tail;

    @Option(names = {"-e", "--entry", "--process-type"}, paramLabel = "ENTRY",
            description = "Only this Procfile entry's function output.")
    private String entry;

    @Option(names = {"-s", "--source"}, paramLabel = "app|laambda",
            description = "Only the functions' output (app) or Laambda's router, api and build lines (laambda).")
    private String source;

    @Option(names = "--since", paramLabel = "10m|ISO-8601", description = "Only lines since then: 30s, 10m, 2h, 7d, or "
            + "a time like 2026-11-29T10:00:00Z.")
    private String since;

    @Option(names = "--request-id", paramLabel = "ID", description = "Only the lines of one invocation or request.")
    private String requestId;

    LogsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String app = context.app(appOption);
        String filters = filters();
        if (!tail) {
            JsonNode answer = context.api().get(ApiClient.path("apps", app, "logs") + "?n=" + lines + filters);
            if (json.requested()) {
                context.printJson(answer);
            } else {
                answer.forEach(line -> context.out().println(line.path("text").asText()));
            }
            return 0;
        }
        follow(ApiClient.path("apps", app, "logs", "stream"), filters);
        return 0;
    }

    /** Prints the stream's lines for ever, resuming after the last one printed whenever the connection breaks. */
    private void follow(String path, String filters) {
        String[] lastId = {null};
        boolean resuming = false;
        while (true) {
            try {
                String query = lastId[0] == null ? "?n=" + lines + filters : "?" + filters.replaceFirst("^&", "");
                context.api().stream(path + query, lastId[0], event -> {
                    print(event);
                    if (!event.id().isEmpty()) {
                        lastId[0] = event.id();
                    }
                });
            } catch (ApiClient.StreamBroken broken) {
                if (!resuming) {
                    context.err().println(broken.getMessage() + " Resuming…");
                    resuming = true;
                }
                sleep();
                continue;
            }
            resuming = false;
        }
    }

    private void print(ApiClient.ServerEvent event) {
        if (json.requested()) {
            context.out().println(event.data());
        } else {
            try {
                context.out().println(context.json().parse(event.data()).path("text").asText());
            } catch (JsonProcessingException e) {
                throw new CliException("The server sent a log line that is not JSON: is it a Laambda server?");
            }
        }
        // Each line as it arrives, also when stdout is a pipe.
        context.out().flush();
    }

    private String filters() {
        List<String> params = new ArrayList<>();
        if (entry != null) {
            params.add("entry=" + ApiClient.query(entry));
        }
        if (source != null) {
            params.add("source=" + ApiClient.query(source));
        }
        if (since != null) {
            params.add("since=" + ApiClient.query(since));
        }
        if (requestId != null) {
            params.add("request_id=" + ApiClient.query(requestId));
        }
        return params.isEmpty() ? "" : "&" + String.join("&", params);
    }

    private static void sleep() {
        try {
            Thread.sleep(RESUME_AFTER_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted.");
        }
    }
}
