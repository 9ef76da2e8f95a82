package dev.laambda.platform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * API Gateway's HTTP API, payload format 2.0: an HTTP request becomes the event a `web` function receives,
 * and what the function returns becomes the HTTP response, as AWS documents both.
 */
public final class Gateway {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private Gateway() {
    }

    /** An HTTP request as the gateway sees it; {@code headers} keep every value of repeated headers. */
    public record Request(String method, String path, String rawQueryString, String protocol, String sourceIp,
                          Map<String, List<String>> headers, byte[] body) {
    }

    /** The HTTP response to send. */
    public record Response(int status, Map<String, String> headers, List<String> cookies, byte[] body) {
    }

    public static byte[] event(Request request) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", request.path());
        event.put("rawQueryString", request.rawQueryString() == null ? "" : request.rawQueryString());
        ObjectNode headers = JSON.createObjectNode();
        ArrayNode cookies = JSON.createArrayNode();
        request.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                values.forEach(value -> List.of(value.split(";\\s*")).forEach(cookies::add));
            } else {
                headers.put(lower, String.join(",", values));
            }
        });
        if (!cookies.isEmpty()) {
            event.set("cookies", cookies);
        }
        event.set("headers", headers);
        Map<String, List<String>> query = query(request.rawQueryString());
        if (!query.isEmpty()) {
            ObjectNode parameters = event.putObject("queryStringParameters");
            query.forEach((name, values) -> parameters.put(name, String.join(",", values)));
        }
        String host = headers.path("host").asText("localhost").replaceFirst(":\\d+$", "");
        Instant now = Instant.now();
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "000000000000");
        context.put("apiId", "local");
        context.put("domainName", host);
        context.put("domainPrefix", host.contains(".") ? host.substring(0, host.indexOf('.')) : host);
        ObjectNode http = context.putObject("http");
        http.put("method", request.method());
        http.put("path", request.path());
        http.put("protocol", request.protocol());
        http.put("sourceIp", request.sourceIp());
        http.put("userAgent", headers.path("user-agent").asText(""));
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        if (request.body().length > 0) {
            boolean text = isText(headers.path("content-type").asText(""));
            event.put("body", text ? new String(request.body(), StandardCharsets.UTF_8)
                    : Base64.getEncoder().encodeToString(request.body()));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A result with a statusCode is a full response; any other JSON is sent as is with status 200 and
     * content-type application/json (API Gateway's rule for payload format 2.0).
     */
    public static Response response(byte[] payload) {
        JsonNode result;
        try {
            result = JSON.readTree(payload);
        } catch (IOException notJson) {
            return badGateway();
        }
        if (result == null || !result.isObject() || !result.has("statusCode")) {
            return new Response(200, Map.of("content-type", "application/json"), List.of(), payload);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        result.path("headers").fields().forEachRemaining(header -> headers.put(header.getKey(), header.getValue().asText()));
        List<String> cookies = new ArrayList<>();
        result.path("cookies").forEach(cookie -> cookies.add(cookie.asText()));
        JsonNode body = result.path("body");
        byte[] bytes = body.isMissingNode() || body.isNull() ? new byte[0]
                : result.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(body.asText())
                : (body.isTextual() ? body.asText() : body.toString()).getBytes(StandardCharsets.UTF_8);
        return new Response(result.path("statusCode").asInt(200), headers, cookies, bytes);
    }

    /** A function that failed answers 500, with API Gateway's body. */
    public static Response internalServerError() {
        return new Response(500, Map.of("content-type", "application/json"), List.of(),
                "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static Response badGateway() {
        return new Response(502, Map.of("content-type", "application/json"), List.of(),
                "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isText(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.isEmpty() || type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.startsWith("application/x-www-form-urlencoded") || type.contains("javascript");
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
