package dev.laambda.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.util.Map;

/**
 * One line of the route table: what Javalin serves and what the OpenAPI document says about it.
 * {@code requestBody} is a JSON Schema for the body, or null when the route takes none.
 */
public record Route(HandlerType method, String path, String summary, String tag, boolean authenticated,
                    Map<String, Object> requestBody, int successStatus, Handler handler) {
}
