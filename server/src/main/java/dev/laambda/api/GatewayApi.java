package dev.laambda.api;

import dev.laambda.LaambdaException;
import dev.laambda.logs.AppLog;
import dev.laambda.platform.InvokeResult;
import dev.laambda.platform.local.Gateway;
import dev.laambda.release.Invoker;
import dev.laambda.store.App;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public HTTP face of apps: http://APP.localhost:PORT/… and http://HOST:PORT/apps/APP/… go to the app's
 * `web` function as API Gateway HTTP API events. No token: this is the app's own website or API.
 */
final class GatewayApi {

    private static final Pattern APP_HOST = Pattern.compile("^([a-z][a-z0-9-]{1,29})\\.localhost(:\\d+)?$");
    private static final Pattern APP_PATH = Pattern.compile("^/apps/([a-z][a-z0-9-]{1,29})(/.*)?$");
    static final String WEB_ENTRY = "web";

    private final Invoker invoker;
    private final AppLog appLog;

    GatewayApi(Invoker invoker, AppLog appLog) {
        this.invoker = invoker;
        this.appLog = appLog;
    }

    /** The app and path a request is for, when it is for an app at all. */
    record Target(String app, String path) {
    }

    static Optional<Target> target(Context ctx) {
        // Host names are case-insensitive (RFC 4343): DEMO.localhost is demo's.
        Matcher host = APP_HOST.matcher(Optional.ofNullable(ctx.header("Host")).orElse("").toLowerCase(Locale.ROOT));
        if (host.matches()) {
            return Optional.of(new Target(host.group(1), ctx.path()));
        }
        Matcher path = APP_PATH.matcher(ctx.path());
        if (path.matches()) {
            return Optional.of(new Target(path.group(1), path.group(2) == null ? "/" : path.group(2)));
        }
        return Optional.empty();
    }

    void handle(Context ctx, Target target) {
        long started = System.nanoTime();
        App app = invoker.publicApp(target.app());
        String requestId = UUID.randomUUID().toString();
        int status = 500;
        try {
            status = respond(ctx, app, target);
        } catch (LaambdaException e) {
            status = ApiServer.status(e.kind());
            throw e;
        } finally {
            // Heroku's router line: one per request, whatever became of it.
            appLog.router(app.id(), requestId, String.format(Locale.ROOT,
                    "at=%s method=%s path=\"%s\" host=%s request_id=%s status=%d duration=%dms",
                    status >= 500 ? "error" : "info", ctx.method().name(), target.path(), host(ctx), requestId, status,
                    (System.nanoTime() - started) / 1_000_000));
        }
    }

    /** Invokes the app's web function with the request as an API Gateway v2 event; the status it answered. */
    private int respond(Context ctx, App app, Target target) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(ctx.req().getHeaders(name))));
        }
        byte[] event = Gateway.event(new Gateway.Request(ctx.method().name(), target.path(), ctx.queryString(),
                ctx.protocol(), ctx.ip(), headers, ctx.bodyAsBytes()));
        Gateway.Response response;
        try {
            InvokeResult result = invoker.invoke(app, WEB_ENTRY, event, Optional.empty());
            response = result.failed() ? Gateway.internalServerError() : Gateway.response(result.payload());
        } catch (LaambdaException e) {
            if (e.kind() != LaambdaException.Kind.NOT_FOUND && e.kind() != LaambdaException.Kind.CONFLICT) {
                throw e;
            }
            throw LaambdaException.notFound("no_web_function", "App '" + target.app() + "' has no web function: add a "
                    + "'web: module.handler' line to its Procfile and push.");
        }
        ctx.status(response.status());
        response.headers().forEach(ctx::header);
        response.cookies().forEach(cookie -> ctx.res().addHeader("Set-Cookie", cookie));
        ctx.result(response.body());
        return response.status();
    }

    /** The host the request named, without characters a log line could be forged with. */
    private static String host(Context ctx) {
        return Optional.ofNullable(ctx.header("Host")).orElse("").replaceAll("[^A-Za-z0-9.:-]", "?");
    }
}
