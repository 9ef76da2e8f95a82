package dev.laambda.api;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;
import dev.laambda.platform.FunctionPlatform;
import dev.laambda.platform.InvokeResult;
import dev.laambda.release.Apps;
import dev.laambda.release.FormationEntry;
import dev.laambda.release.Releases;
import dev.laambda.release.Invoker;
import dev.laambda.store.App;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/** POST /api/v1/apps/{app}/functions/{entry}/invoke: run a function, answered as Lambda's Invoke API answers. */
final class FunctionsApi {

    /** Lambda returns the last 4 KB of the invocation's log in X-Amz-Log-Result. */
    private static final int LOG_TAIL_BYTES = 4096;
    /** Lambda's bound on X-Amz-Client-Context, the base64 text. */
    private static final int MAX_CLIENT_CONTEXT_CHARS = 3583;
    private static final int MAX_LOG_LINES = 10_000;

    private final Apps apps;
    private final Invoker invoker;
    private final Releases releases;
    private final FunctionPlatform platform;
    private final ObjectMapper json;

    FunctionsApi(Apps apps, Invoker invoker, Releases releases, FunctionPlatform platform, ObjectMapper json) {
        this.apps = apps;
        this.invoker = invoker;
        this.releases = releases;
        this.platform = platform;
        this.json = json;
    }

    /** GET …/functions/{entry}/logs: the entry's function's recent log, oldest first. */
    void logs(Context ctx) {
        App app = apps.get(Caller.of(ctx), ctx.pathParam("app"));
        String entry = ctx.pathParam("entry");
        FormationEntry function = releases.formation(app).entries().get(entry);
        if (function == null) {
            throw LaambdaException.notFound("ResourceNotFoundException", "App '" + app.name() + "' has no Procfile entry '"
                    + Echo.of(entry) + "' (see `laambda functions`).");
        }
        int lines = Optional.ofNullable(ctx.queryParam("lines")).map(FunctionsApi::lineCount).orElse(100);
        ctx.json(platform.logs(function.functionName(), lines).stream()
                .map(line -> new Views.LogLineView(line.timestamp(), line.version(), line.message()))
                .toList());
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
        ctx.header("X-Amz-Executed-Version", result.executedVersion());
        if (result.failed()) {
            ctx.header("X-Amz-Function-Error", result.functionError());
        }
        if ("Tail".equalsIgnoreCase(ctx.header("X-Amz-Log-Type")) || "tail".equalsIgnoreCase(ctx.queryParam("log"))) {
            byte[] log = result.log().getBytes(StandardCharsets.UTF_8);
            byte[] tail = Arrays.copyOfRange(log, Math.max(0, log.length - LOG_TAIL_BYTES), log.length);
            ctx.header("X-Amz-Log-Result", Base64.getEncoder().encodeToString(tail));
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
