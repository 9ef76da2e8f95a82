package dev.laambda.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.Echo;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Answers for requests Jetty refuses before any route sees them (a NUL or an ambiguous segment in the path, a
 * head too large): the same {"error","code"} as every other error, or Lambda's shape on the AWS Invoke paths,
 * instead of Jetty's HTML page.
 */
final class JettyErrors extends ErrorHandler {

    private final ObjectMapper json;

    JettyErrors(ObjectMapper json) {
        this.json = json;
    }

    /** The stable code of an HTTP status Laambda itself did not choose. */
    static String code(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "request_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "invalid_request";
        };
    }

    /** One line that says what was wrong, from the status and Jetty's reason (which can name the bad part). */
    static String message(int status, String reason) {
        String why = reason == null || reason.isBlank() || reason.equals(HttpStatus.getMessage(status)) ? ""
                : ": " + Echo.of(reason);
        return switch (status) {
            case 400 -> "The request is malformed" + why + ": a URL path may not hold %00 or other control "
                    + "characters, and headers must be well-formed.";
            case 413 -> "The request is larger than this server accepts" + why + ".";
            case 414 -> "The URL is too long" + why + ".";
            case 431 -> "The request's headers are too large" + why + ".";
            default -> "HTTP " + status + " " + HttpStatus.getMessage(status) + why + ".";
        };
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String reason, Throwable cause,
                                    Callback callback) throws JsonProcessingException {
        String path = request.getHttpURI() == null ? "" : request.getHttpURI().getPath();
        String message = message(status, reason);
        Object body;
        if (path != null && path.startsWith(AwsInvokeApi.PREFIX + "/")) {
            response.getHeaders().put("X-Amzn-ErrorType", AwsErrors.typeFor(status));
            body = Map.of("Type", status >= 500 ? "Service" : "User", "message", message);
        } else {
            body = new ApiError(message, code(status));
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(json.writeValueAsBytes(body)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        try {
            return ByteBuffer.wrap(json.writeValueAsBytes(new ApiError(message(status, reason), code(status))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write an error as JSON", e);
        }
    }
}
