package dev.laambda.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.laambda.LaambdaException;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** The functions of a release, by Procfile entry name; stored as the release's formation JSON. */
public record Formation(SortedMap<String, FormationEntry> entries) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    public Formation {
        entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    public static Formation empty() {
        return new Formation(new TreeMap<>());
    }

    public static Formation fromJson(String json) {
        try {
            return new Formation(JSON.readValue(json, new TypeReference<TreeMap<String, FormationEntry>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored formation is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(entries);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The formation of a new deploy: one function per process type, named {app}-{entry}. Memory, timeout,
     * reserved concurrency and event sources set on an entry of the same name carry over; new entries get
     * Lambda-like defaults.
     */
    public static Formation forDeploy(String appName, Map<String, String> processTypes, String runtime, Formation previous) {
        TreeMap<String, FormationEntry> next = new TreeMap<>();
        processTypes.forEach((entry, handler) -> {
            FormationEntry before = previous.entries().get(entry);
            next.put(entry, new FormationEntry(handler, appName + "-" + entry,
                    before == null ? FormationEntry.DEFAULT_MEMORY_MB : before.memoryMb(),
                    before == null ? FormationEntry.DEFAULT_TIMEOUT_S : before.timeoutS(),
                    runtime, before == null ? List.of() : before.eventSources(),
                    before == null ? null : before.reservedConcurrency()));
        });
        return new Formation(next);
    }

    /** This formation with one entry changed; the entry must exist. */
    public Formation withEntry(String name, UnaryOperator<FormationEntry> change) {
        TreeMap<String, FormationEntry> next = new TreeMap<>(entries);
        next.put(name, change.apply(entry(name)));
        return new Formation(next);
    }

    /** The entry {@code name}; a 404 naming the known entries when there is none. */
    public FormationEntry entry(String name) {
        FormationEntry entry = entries.get(name);
        if (entry == null) {
            String known = entries.isEmpty() ? "the current release has no functions yet: push the app first"
                    : "known entries: " + String.join(", ", entries.keySet());
            throw LaambdaException.notFound("entry_not_found", "No Procfile entry '" + dev.laambda.Echo.of(name)
                    + "' in the current release (" + known + ").");
        }
        return entry;
    }
}
