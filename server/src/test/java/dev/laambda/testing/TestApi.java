package dev.laambda.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP calls to a test server's API, as one user. */
public final class TestApi {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String token;

    public TestApi(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** An answer: status and body, with the body parsed as JSON on demand. */
    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Not JSON (status " + status + "): " + body, e);
            }
        }

        public String errorCode() {
            return json().path("code").asText();
        }

        public String errorMessage() {
            return json().path("error").asText();
        }
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    /** The elements of the JSON array a GET answers, failing the test unless it answered 200. */
    public java.util.List<JsonNode> getList(String path) {
        Response response = get(path);
        org.junit.jupiter.api.Assertions.assertEquals(200, response.status(), response.body());
        java.util.List<JsonNode> elements = new java.util.ArrayList<>();
        response.json().forEach(elements::add);
        return elements;
    }

    public Response post(String path, String body) {
        return send("POST", path, body);
    }

    public Response patch(String path, String body) {
        return send("PATCH", path, body);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    public Response send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
