package dev.laambda.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.LaambdaException;
import io.javalin.http.Context;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a request's JSON body and its fields, refusing malformed or mistyped input with a clear message. */
final class JsonBody {

    private final JsonNode node;

    private JsonBody(JsonNode node) {
        this.node = node;
    }

    static JsonBody of(Context ctx, ObjectMapper mapper) {
        String body = ctx.body();
        if (body.isBlank()) {
            throw LaambdaException.invalid("invalid_json", "The request needs a JSON object body.");
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw LaambdaException.invalid("invalid_json", "The request body must be a JSON object.");
            }
            return new JsonBody(node);
        } catch (JsonProcessingException e) {
            throw LaambdaException.invalid("invalid_json", "The request body is not valid JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse("parse error") + ".");
        }
    }

    /** An empty body is allowed and reads as an object with no fields. */
    static JsonBody ofOptional(Context ctx, ObjectMapper mapper) {
        return ctx.body().isBlank() ? new JsonBody(mapper.createObjectNode()) : of(ctx, mapper);
    }

    /** Whether the body names {@code field}, even as null. */
    boolean has(String field) {
        return node.has(field);
    }

    String requiredText(String field) {
        String value = optionalText(field);
        if (value == null) {
            throw LaambdaException.invalid("invalid_request", "Field '" + field + "' is required.");
        }
        return value;
    }

    String optionalText(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw LaambdaException.invalid("invalid_request", "Field '" + field + "' must be a string.");
        }
        return value.asText();
    }

    boolean optionalBoolean(String field, boolean fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw LaambdaException.invalid("invalid_request", "Field '" + field + "' must be true or false.");
        }
        return value.asBoolean();
    }

    Integer optionalInt(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw LaambdaException.invalid("invalid_request", "Field '" + field + "' must be a whole number.");
        }
        return value.asInt();
    }

    /** Every field as a string or null; any other type is refused. */
    Map<String, String> stringsOrNulls() {
        Map<String, String> result = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (!value.isNull() && !value.isTextual()) {
                throw LaambdaException.invalid("invalid_request", "Config var '" + field.getKey()
                        + "' must be a string (or null to unset it).");
            }
            result.put(field.getKey(), value.isNull() ? null : value.asText());
        }
        return result;
    }
}
