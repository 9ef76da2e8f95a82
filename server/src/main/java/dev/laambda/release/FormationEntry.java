package dev.laambda.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.laambda.LaambdaException;
import dev.laambda.platform.FunctionSpec;
import dev.laambda.store.App;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One Procfile entry of a release: the function it becomes and its resources. {@code reservedConcurrency} is
 * null unless set (`resource:concurrency`): then the server's own limit applies.
 */
public record FormationEntry(String handler, String functionName, int memoryMb, int timeoutS, String runtime,
                             List<String> eventSources,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Integer reservedConcurrency) {

    public static final int MIN_MEMORY_MB = 128;
    public static final int MAX_MEMORY_MB = 10240;
    public static final int MIN_TIMEOUT_S = 1;
    public static final int MAX_TIMEOUT_S = 900;
    public static final int DEFAULT_MEMORY_MB = 1024;
    public static final int DEFAULT_TIMEOUT_S = 10;

    public FormationEntry {
        eventSources = eventSources == null ? List.of() : List.copyOf(eventSources);
    }

    public FormationEntry withMemory(int memory) {
        checkMemory(memory);
        return new FormationEntry(handler, functionName, memory, timeoutS, runtime, eventSources, reservedConcurrency);
    }

    public FormationEntry withTimeout(int timeout) {
        checkTimeout(timeout);
        return new FormationEntry(handler, functionName, memoryMb, timeout, runtime, eventSources, reservedConcurrency);
    }

    /** {@code sources}: canonical forms ({@link EventSource#canonical()}), already checked. */
    public FormationEntry withEventSources(List<String> sources) {
        return new FormationEntry(handler, functionName, memoryMb, timeoutS, runtime, sources, reservedConcurrency);
    }

    /** {@code concurrency} null clears it: back to the server's limit. */
    public FormationEntry withReservedConcurrency(Integer concurrency) {
        return new FormationEntry(handler, functionName, memoryMb, timeoutS, runtime, eventSources, concurrency);
    }

    /** This entry's function in release {@code version} of {@code app}, with the release's config as its environment. */
    public FunctionSpec function(App app, String artifactSha, int version, Map<String, String> config) {
        return new FunctionSpec(app.id(), functionName, handler, runtime, memoryMb, timeoutS, artifactSha, version,
                app.region(), config, reservedConcurrency == null ? OptionalInt.empty() : OptionalInt.of(reservedConcurrency),
                eventSources);
    }

    public static void checkMemory(int memory) {
        if (memory < MIN_MEMORY_MB || memory > MAX_MEMORY_MB) {
            throw LaambdaException.invalid("invalid_memory", "Memory must be between " + MIN_MEMORY_MB + " and "
                    + MAX_MEMORY_MB + " MB (got " + memory + ").");
        }
    }

    public static void checkTimeout(int timeout) {
        if (timeout < MIN_TIMEOUT_S || timeout > MAX_TIMEOUT_S) {
            throw LaambdaException.invalid("invalid_timeout", "Timeout must be between " + MIN_TIMEOUT_S + " and "
                    + MAX_TIMEOUT_S + " seconds (got " + timeout + ").");
        }
    }

    /** {@code maximum}: the server's LAAMBDA_FUNCTION_CONCURRENCY, the most instances any function may run. */
    public static void checkReservedConcurrency(int concurrency, int maximum) {
        if (concurrency < 0 || concurrency > maximum) {
            throw LaambdaException.invalid("invalid_concurrency", "Reserved concurrency must be between 0 and " + maximum
                    + " instances on this server (got " + concurrency + "); 0 switches the function off.");
        }
    }
}
