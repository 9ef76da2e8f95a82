package dev.laambda.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** The CLI's JSON: reads API answers (snake_case) into {@link Models} records and writes request bodies and --json output. */
final class Json {

    private final ObjectMapper mapper = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final ObjectWriter pretty = mapper.writer(prettyPrinter());

    JsonNode parse(String text) throws JsonProcessingException {
        return mapper.readTree(text);
    }

    <T> T read(JsonNode node, Class<T> type) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw unexpected(type, e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw unexpected(type, e.getMessage());
        }
    }

    <T> List<T> readList(JsonNode node, Class<T> type) {
        if (!node.isArray()) {
            throw new CliException("The server's answer is not the list of " + type.getSimpleName()
                    + " this CLI knows: is the CLI as new as the server?");
        }
        List<T> items = new ArrayList<>();
        node.forEach(item -> items.add(read(item, type)));
        return items;
    }

    private static CliException unexpected(Class<?> type, String reason) {
        return new CliException("The server's answer is not the " + type.getSimpleName()
                + " this CLI knows (" + reason + "): is the CLI as new as the server?");
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Indented JSON, two spaces, {@code "key": value}, one array element per line. */
    String pretty(JsonNode node) {
        try {
            return pretty.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot print JSON", e);
        }
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }
}
