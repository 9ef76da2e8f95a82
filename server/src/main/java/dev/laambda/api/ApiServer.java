package dev.laambda.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.LaambdaException;
import dev.laambda.account.Accounts;
import dev.laambda.metrics.PrometheusMetrics;
import dev.laambda.release.Invoker;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/** The HTTP server: routes from the table, bearer-token auth, and every failure answered as {"error","code"}. */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    /** Set once a request has its answer, so Javalin's status-code error pages leave it alone. */
    private static final String ANSWERED = "laambda.answered";
    /** Twice Lambda's 6 MB synchronous payload limit: larger bodies are refused before they are read. */
    private static final long MAX_REQUEST_BYTES = 12L * 1024 * 1024;

    private final Javalin javalin;

    private ApiServer(Javalin javalin) {
        this.javalin = javalin;
    }

    public static ApiServer start(String host, int port, Routes routes, Accounts accounts, ObjectMapper json,
                                  PrometheusMetrics metrics) {
        Javalin javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // Bodies are read whole up to well past Lambda's 6 MB payload limit, so an oversized invoke gets
            // Lambda's RequestTooLargeException (and its connection stays usable) rather than a cut connection.
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.jsonMapper(new io.javalin.json.JavalinJackson(json, false));
            // Every answered request counts in /metrics by its route template, so paths never make new series.
            config.requestLogger.http((ctx, ms) -> metrics.httpRequest(ctx.method().name(), routeOf(ctx),
                    ctx.statusCode(), java.time.Duration.ofNanos((long) (ms * 1_000_000))));
            // Requests Jetty refuses before routing (a %00 in the path, say) get the JSON error too.
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors(json)));
            // A body declared too large is refused before anything reads it (or asks for a token).
            config.routes.before(ctx -> {
                if (ctx.contentLength() > MAX_REQUEST_BYTES) {
                    throw tooLarge(ctx);
                }
            });
            // Requests for an app's own site (APP.localhost, /apps/APP/…) go to its web function, never to the API.
            config.routes.before(ctx -> GatewayApi.target(ctx).ifPresent(target -> {
                ctx.attribute(ANSWERED, "gateway");
                routes.gateway().handle(ctx, target);
                ctx.skipRemainingHandlers();
            }));
            for (String authenticated : List.of(Routes.API + "/*", AwsInvokeApi.PREFIX + "/*")) {
                config.routes.before(authenticated, ctx -> {
                    if (!ctx.method().equals(HandlerType.OPTIONS)) {
                        Caller.set(ctx, accounts.authenticate(ctx.header("Authorization")));
                    }
                });
            }
            for (Route route : routes.all()) {
                config.routes.addHttpHandler(route.method(), route.path(), route.handler());
            }
            config.routes.exception(LaambdaException.class, (e, ctx) -> fail(ctx, status(e.kind()), e.code(), e.getMessage()));
            // Javalin's own refusals: a body that grows past the limit as it is read (413), and the like.
            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                if (e.getStatus() == 413) {
                    LaambdaException tooLarge = tooLarge(ctx);
                    fail(ctx, 413, tooLarge.code(), tooLarge.getMessage());
                } else {
                    fail(ctx, e.getStatus(), JettyErrors.code(e.getStatus()), JettyErrors.message(e.getStatus(), e.getMessage()));
                }
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                Optional<String> path = pathOf(ctx);
                if (path.isEmpty()) {
                    // The request was already answered and recycled (a stream ended under a send): there is no one
                    // to answer, and throwing here would send Javalin round its error handling for ever.
                    log.warn("event=request_gone error=\"{}\"", e);
                    return;
                }
                log.error("event=request_failed method={} path={}", ctx.method(), path.get(), e);
                fail(ctx, 500, "internal_error", "The server failed to handle this request; see its log.");
            });
            config.routes.error(404, ctx -> {
                if (ctx.attribute(ANSWERED) == null) {
                    fail(ctx, 404, "not_found", "No such route: " + ctx.method() + " " + ctx.path());
                }
            });
            config.routes.error(405, ctx -> {
                if (ctx.attribute(ANSWERED) == null) {
                    fail(ctx, 405, "method_not_allowed", "Method " + ctx.method() + " is not allowed on " + ctx.path());
                }
            });
        });
        javalin.start(host, port);
        return new ApiServer(javalin);
    }

    /** The request's path, or nothing when the web server has recycled the request (its fields are gone). */
    private static Optional<String> pathOf(Context ctx) {
        try {
            return Optional.of(ctx.path());
        } catch (RuntimeException recycled) {
            return Optional.empty();
        }
    }

    /** The route template a request matched; "gateway" for an app's own site, "unmatched" for no route. */
    private static String routeOf(Context ctx) {
        if ("gateway".equals(ctx.attribute(ANSWERED))) {
            return "gateway";
        }
        io.javalin.router.Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        return endpoint == null ? "unmatched" : endpoint.path;
    }

    /** Lambda's RequestTooLargeException on the AWS Invoke API; ours elsewhere. */
    private static LaambdaException tooLarge(Context ctx) {
        if (ctx.path().startsWith(AwsInvokeApi.PREFIX + "/")) {
            return Invoker.payloadTooLarge();
        }
        return new LaambdaException(LaambdaException.Kind.TOO_LARGE, "request_too_large", "The request body is larger than "
                + MAX_REQUEST_BYTES + " bytes, the most this server reads.");
    }

    public int port() {
        return javalin.port();
    }

    /** What the router really serves, as "METHOD /path" lines: the OpenAPI test holds the document to this. */
    public List<String> servedRoutes() {
        return javalin.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint.method.name() + " " + parsed.endpoint.path)
                .toList();
    }

    @Override
    public void close() {
        javalin.stop();
    }

    private static void fail(Context ctx, int status, String code, String message) {
        Optional<String> path = pathOf(ctx);
        if (path.isEmpty()) {
            // Recycled: no one to answer (and a throw here would loop, as in the catch-all handler).
            log.warn("event=answer_to_gone_request code={}", code);
            return;
        }
        ctx.attribute(ANSWERED, code);
        if (path.get().startsWith(AwsInvokeApi.PREFIX + "/")) {
            AwsErrors.answer(ctx, status, code, message);
            return;
        }
        ctx.status(status).json(new ApiError(message, code));
    }

    static int status(LaambdaException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case TOO_MANY_REQUESTS -> 429;
            case UNAVAILABLE -> 503;
        };
    }
}
