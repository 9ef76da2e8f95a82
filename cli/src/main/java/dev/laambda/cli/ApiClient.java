package dev.laambda.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Calls the Laambda REST API ({@code /api/v1}) with a bearer token. A JSON error answer
 * {@code {"error","code"}} becomes an {@link ApiException} carrying the server's message;
 * a server that cannot be reached becomes a {@link CliException} that names it.
 */
final class ApiClient {

    static final String API = "/api/v1";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    private final String server;
    private final String token;
    private final Json json;
    private final HttpClient http;

    ApiClient(Login login, Json json) {
        this.server = serverUrl(login.server());
        this.token = login.token();
        this.json = json;
        // Redirects are not followed: the token must never travel to a host the user did not log in to.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The server URL without a trailing slash; refuses anything but an absolute http(s) URL. */
    static String serverUrl(String text) {
        String trimmed = text == null ? "" : text.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme();
            if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null
                    && uri.getQuery() == null && uri.getFragment() == null) {
                return trimmed;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new CliException("'" + text + "' is not a server URL: use http://HOST:PORT, e.g. http://localhost:5000.");
    }

    /** Path segments joined with '/', each percent-encoded: {@code path("apps", "demo")} is {@code /apps/demo}. */
    static String path(String... segments) {
        return Arrays.stream(segments).map(ApiClient::segment).collect(Collectors.joining("/", "/", ""));
    }

    /** A query parameter value, percent-encoded. */
    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String segment(String text) {
        // '@' is legal in a path segment and keeps e-mail addresses readable in the URL.
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@");
    }

    String server() {
        return server;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    JsonNode patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** A function's answer: its payload as the function returned it, the error type if it failed, and its log. */
    record Invocation(String payload, String functionError, String log) {
    }

    /** Invokes a function with a raw JSON event, asking for the log tail as `aws lambda invoke --log-type Tail` does. */
    Invocation invoke(String path, String event) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server + API + path))
                .timeout(Duration.ofMinutes(16))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("X-Amz-Log-Type", "Tail")
                .POST(HttpRequest.BodyPublishers.ofString(event, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException("Cannot reach the Laambda server at " + server + ": " + reason(e) + ".");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted while waiting for the Laambda server at " + server + ".");
        }
        if (response.statusCode() >= 400) {
            answer(response);
        }
        String log = response.headers().firstValue("X-Amz-Log-Result")
                .map(tail -> new String(java.util.Base64.getDecoder().decode(tail), StandardCharsets.UTF_8)).orElse("");
        return new Invocation(response.body(), response.headers().firstValue("X-Amz-Function-Error").orElse(null), log);
    }

    /** One Server-Sent Event: its id (empty when it had none) and its data. */
    record ServerEvent(String id, String data) {
    }

    /**
     * Follows a Server-Sent Events stream, handing each event to {@code events} as it arrives, until the server
     * ends it. {@code lastEventId} resumes after that event. Refusals (4xx/5xx) throw as every other call's do;
     * a connection that breaks throws {@link StreamBroken}, after which the caller may resume.
     */
    void stream(String path, String lastEventId, java.util.function.Consumer<ServerEvent> events) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + API + path))
                .header("Accept", "text/event-stream")
                .header("User-Agent", "laambda-cli/" + LaambdaCli.version())
                .header("Authorization", "Bearer " + token).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.io.InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new StreamBroken("Cannot reach the Laambda server at " + server + ": " + reason(e) + ".");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted while waiting for the Laambda server at " + server + ".");
        }
        if (response.statusCode() >= 300) {
            try (java.io.InputStream body = response.body()) {
                throw error(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new StreamBroken("The Laambda server at " + server + " went away: " + reason(e) + ".");
            }
        }
        try (java.io.BufferedReader lines = new java.io.BufferedReader(
                new java.io.InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = "";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.accept(new ServerEvent(id, data.toString()));
                    }
                    id = "";
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException e) {
            throw new StreamBroken("The connection to the Laambda server at " + server + " broke: " + reason(e) + ".");
        }
        throw new StreamBroken("The Laambda server at " + server + " ended the stream.");
    }

    /** A stream that ended or broke without the server refusing it: it may be resumed. */
    static final class StreamBroken extends CliException {
        StreamBroken(String message) {
            super(message);
        }
    }

    private JsonNode send(String method, String path, Object body) {
        HttpRequest request = request(method, path, body);
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException("Cannot reach the Laambda server at " + server + ": " + reason(e) + ".");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted while waiting for the Laambda server at " + server + ".");
        }
        return answer(response);
    }

    private HttpRequest request(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + API + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("User-Agent", "laambda-cli/" + LaambdaCli.version());
        try {
            request.header("Authorization", "Bearer " + token);
        } catch (IllegalArgumentException e) {
            throw new CliException("The API token contains characters a token cannot have: run 'laambda login' again.");
        }
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json.write(body), StandardCharsets.UTF_8))
                .build();
    }

    private JsonNode answer(HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status >= 200 && status < 300) {
            if (body.isBlank()) {
                return NullNode.getInstance();
            }
            try {
                return json.parse(body);
            } catch (JsonProcessingException e) {
                throw new CliException("The server at " + server + " answered with something that is not JSON: "
                        + "is it a Laambda server?");
            }
        }
        if (status >= 300 && status < 400) {
            String location = response.headers().firstValue("Location").orElse("another address");
            throw new CliException("The server at " + server + " redirects to " + location
                    + ": log in with that URL (laambda login --server URL).");
        }
        throw error(status, body);
    }

    private ApiException error(int status, String body) {
        try {
            JsonNode error = json.parse(body);
            if (error.path("error").isTextual() && !error.path("error").asText().isBlank()) {
                String code = error.path("code").isTextual() ? error.path("code").asText() : null;
                return new ApiException(error.path("error").asText(), code, status);
            }
        } catch (JsonProcessingException e) {
            // not a Laambda error answer: described below
        }
        return new ApiException("The server at " + server + " answered HTTP " + status
                + " without a Laambda error message: is it a Laambda server?", null, status);
    }

    /** Java's HttpClient reports refused connections and unknown hosts without a message: say it in words. */
    private static String reason(IOException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpConnectTimeoutException) {
                return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " seconds";
            }
            if (cause instanceof HttpTimeoutException) {
                return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " seconds";
            }
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return "unknown host";
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return stripFinalDot(cause.getMessage());
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
        }
        return failure.getClass().getSimpleName();
    }

    private static String stripFinalDot(String text) {
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
