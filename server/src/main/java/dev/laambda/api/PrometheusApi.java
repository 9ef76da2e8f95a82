package dev.laambda.api;

import dev.laambda.LaambdaException;
import dev.laambda.ServerConfig;
import dev.laambda.metrics.PrometheusMetrics;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * GET /metrics: Prometheus's scrape, for operators only, behind its own token (LAAMBDA_METRICS_TOKEN) rather than a
 * user's. Without that setting the route does not exist (404), so a server never exposes its numbers by default.
 */
public final class PrometheusApi {

    public static final String PATH = "/metrics";

    private final PrometheusMetrics metrics;
    private final Optional<String> token;

    public PrometheusApi(PrometheusMetrics metrics, Optional<String> token) {
        this.metrics = metrics;
        this.token = token;
    }

    void scrape(Context ctx) {
        if (token.isEmpty()) {
            throw LaambdaException.notFound("not_found", "No such route: GET " + PATH);
        }
        String header = ctx.header("Authorization");
        String bearer = header != null && header.startsWith("Bearer ") ? header.substring("Bearer ".length()).strip() : "";
        if (!MessageDigest.isEqual(bearer.getBytes(StandardCharsets.UTF_8), token.get().getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw LaambdaException.unauthorized("GET " + PATH + " needs 'Authorization: Bearer <token>' with the "
                    + "server's " + ServerConfig.METRICS_TOKEN + ".");
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }
}
