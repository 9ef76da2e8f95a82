package dev.laambda.api;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;
import dev.laambda.OutputLimits;
import dev.laambda.platform.FunctionLogLine;
import dev.laambda.platform.FunctionRef;
import dev.laambda.platform.Platforms;
import dev.laambda.platform.InvokeResult;
import dev.laambda.release.Apps;
import dev.laambda.release.FormationEntry;
import dev.laambda.release.Releases;
import dev.laambda.release.Invoker;
import dev.laambda.store.App;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * POST /api/v1/apps/{app}/functions/{entry}/invoke: run a function, answered as Lambda's Invoke API answers;
 * GET …/logs: its recent log, at most {@link OutputLimits#MAX_LOG_BYTES} of JSON.
 */
final class FunctionsApi {

    /** Lambda returns the last 4 KB of the invocation's log in X-Amz-Log-Result. */
    private static final int LOG_TAIL_BYTES = 4096;
    /** Lambda's bound on X-Amz-Client-Context, the base64 text. */
    private static final int MAX_CLIENT_CONTEXT_CHARS = 3583;
    private static final int MAX_LOG_LINES = 10_000;

    private final Apps apps;
    private final Invoker invoker;
    private final Releases releases;
    private final Platforms platforms;
    private final ObjectMapper json;

    FunctionsApi(Apps apps, Invoker invoker, Releases releases, Platforms platforms, ObjectMapper json) {
        this.apps = apps;
        this.invoker = invoker;
        this.releases = releases;
        this.platforms = platforms;
        this.json = json;
    }

    /** GET …/functions/{entry}/logs: the entry's function's recent log, oldest first. */
    void logs(Context ctx) {
        App app = apps.get(Caller.of(ctx), ctx.pathParam("app"));
        String entry = ctx.pathParam("entry");
        FormationEntry function = releases.formation(app).entries().get(entry);
        if (function == null) {
            throw LaambdaException.notFound("entry_not_found", "App '" + app.name() + "' has no Procfile entry '"
                    + Echo.of(entry) + "' (see `laambda functions`).");
        }
        int lines = Optional.ofNullable(ctx.queryParam("lines")).map(FunctionsApi::lineCount).orElse(100);
        ctx.contentType("application/json").result(newestWithin(platforms.of(app.platform())
                        .logs(new FunctionRef(function.functionName(), app.region()), lines),
                OutputLimits.MAX_LOG_BYTES));
    }

    /**
     * The JSON array of the newest lines whose array is at most {@code maxBytes}, oldest first: however many
     * lines were asked for, an answer stays bounded.
     */
    private byte[] newestWithin(List<FunctionLogLine> lines, int maxBytes) {
        Deque<byte[]> kept = new ArrayDeque<>();
        long size = 2;
        try {
            for (int i = lines.size() - 1; i >= 0; i--) {
                FunctionLogLine line = lines.get(i);
                byte[] element = json.writeValueAsBytes(new Views.LogLineView(line.timestamp(), line.version(), line.message()));
                long withElement = size + element.length + (kept.isEmpty() ? 0 : 1);
                if (withElement > maxBytes) {
                    break;
                }
                kept.addFirst(element);
                size = withElement;
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write a log line as JSON", e);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) size);
        body.write('[');
        for (byte[] element : kept) {
            if (body.size() > 1) {
                body.write(',');
            }
            body.writeBytes(element);
        }
        body.write(']');
        return body.toByteArray();
    }

    private static int lineCount(String value) {
        try {
            int lines = Integer.parseInt(value);
            if (lines >= 1 && lines <= MAX_LOG_LINES) {
                return lines;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw LaambdaException.invalid("invalid_lines", "lines must be a number from 1 to " + MAX_LOG_LINES + ", not '"
                + Echo.of(value) + "'.");
    }

    void invoke(Context ctx) {
        respond(ctx, apps.getToRun(Caller.of(ctx), ctx.pathParam("app")), ctx.pathParam("entry"));
    }

    /** Invokes an app's entry with the request's body and headers, and answers as Lambda's Invoke API does. */
    void respond(Context ctx, App app, String entry) {
        String type = Optional.ofNullable(ctx.header("X-Amz-Invocation-Type")).orElse("RequestResponse");
        switch (type) {
            case "Event" -> {
                invoker.invokeAsync(app, entry, ctx.bodyAsBytes());
                ctx.status(202);
                return;
            }
            case "DryRun" -> {
                invoker.check(app, entry, ctx.bodyAsBytes());
                ctx.status(204);
                return;
            }
            case "RequestResponse" -> {
            }
            default -> throw LaambdaException.invalid("InvalidParameterValueException",
                    "X-Amz-Invocation-Type must be RequestResponse, Event or DryRun.");
        }
        InvokeResult result = invoker.invoke(app, entry, ctx.bodyAsBytes(), clientContext(ctx));
        if (result.executedVersion() != null) {
            ctx.header("X-Amz-Executed-Version", result.executedVersion());
        }
        if (result.failed()) {
            ctx.header("X-Amz-Function-Error", result.functionError());
        }
        if ("Tail".equalsIgnoreCase(ctx.header("X-Amz-Log-Type")) || "tail".equalsIgnoreCase(ctx.queryParam("log"))) {
            // The last 4 KB, cut between characters: the header decodes as UTF-8 however the log ends.
            String tail = OutputLimits.suffix(result.log(), LOG_TAIL_BYTES);
            ctx.header("X-Amz-Log-Result", Base64.getEncoder().encodeToString(tail.getBytes(StandardCharsets.UTF_8)));
        }
        ctx.contentType("application/json").result(result.payload());
    }

    /**
     * X-Amz-Client-Context: base64 of a JSON object (at most 3583 characters), handed to the function decoded,
     * as Lambda does (Lambda-Runtime-Client-Context, the context's client_context). Synchronous invokes only.
     */
    private Optional<String> clientContext(Context ctx) {
        String header = ctx.header("X-Amz-Client-Context");
        if (header == null || header.isEmpty()) {
            return Optional.empty();
        }
        if (header.length() <= MAX_CLIENT_CONTEXT_CHARS) {
            try {
                String document = new String(Base64.getDecoder().decode(header.strip()), StandardCharsets.UTF_8);
                if (json.readTree(document).isObject()) {
                    return Optional.of(document);
                }
            } catch (IllegalArgumentException | IOException notBase64Json) {
                // answered below
            }
        }
        throw LaambdaException.invalid("InvalidRequestContentException", "X-Amz-Client-Context must be base64-encoded "
                + "JSON of at most " + MAX_CLIENT_CONTEXT_CHARS + " characters.");
    }
}
