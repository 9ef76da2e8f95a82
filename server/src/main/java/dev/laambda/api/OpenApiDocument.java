package dev.laambda.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the OpenAPI 3.0 document from the route table, so the two cannot drift apart. */
public final class OpenApiDocument {

    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    private OpenApiDocument() {
    }

    public static Map<String, Object> from(List<Route> routes, String version) {
        Map<String, Object> paths = new TreeMap<>();
        for (Route route : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> operations = (Map<String, Object>) paths.computeIfAbsent(route.path(), p -> new TreeMap<>());
            operations.put(route.method().name().toLowerCase(), operation(route));
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", "3.0.3");
        document.put("info", Map.of("title", "Laambda API", "version", version,
                "description", "Apps, config, releases and rollbacks of a Laambda server."));
        document.put("paths", paths);
        document.put("components", Map.of(
                "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer")),
                "schemas", Map.of("Error", Map.of("type", "object", "required", List.of("error", "code"),
                        "properties", Map.of("error", Map.of("type", "string"), "code", Map.of("type", "string"))))));
        return document;
    }

    private static Map<String, Object> operation(Route route) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("summary", route.summary());
        operation.put("tags", List.of(route.tag()));
        operation.put("operationId", route.method().name().toLowerCase() + route.path().replaceAll("[^A-Za-z0-9]+", "_"));
        List<Map<String, Object>> parameters = new ArrayList<>();
        Matcher matcher = PATH_PARAM.matcher(route.path());
        while (matcher.find()) {
            parameters.add(Map.of("name", matcher.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        if (!parameters.isEmpty()) {
            operation.put("parameters", parameters);
        }
        if (route.requestBody() != null) {
            operation.put("requestBody", Map.of("required", true,
                    "content", Map.of("application/json", Map.of("schema", route.requestBody()))));
        }
        operation.put("security", route.authenticated() ? List.of(Map.of("bearer", List.of())) : List.of());
        Map<String, Object> error = Map.of("description", "Error", "content",
                Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error"))));
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put(String.valueOf(route.successStatus()), Map.of("description", "Success",
                "content", Map.of("application/json", Map.of("schema", Map.of()))));
        responses.put("4XX", error);
        operation.put("responses", responses);
        return operation;
    }
}
