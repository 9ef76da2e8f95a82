package dev.laambda.platform.local;

import dev.laambda.platform.FunctionSpec;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/** Starts the runtime of a function instance, as a host process or as a container. */
public interface InstanceLauncher extends AutoCloseable {

    /** A new instance's Runtime API endpoint, listening where that instance, and only it, will reach it. */
    RuntimeApiServer openRuntimeApi();

    /**
     * Starts the function's runtime against its Runtime API {@code api} (from {@link #openRuntimeApi}), with
     * the release's code in {@code codeDir}; each line the runtime writes goes to {@code output}.
     */
    RuntimeProcess start(FunctionSpec spec, Path codeDir, RuntimeApiServer api, Consumer<String> output);

    /** Throws a LaambdaException saying what to fix when instances of {@code runtime} could not start. */
    void checkRunnable(String runtime, Map<String, String> appConfig);

    /** How instances run, for the server's log: "host processes", "containers (Docker 20.10 at …)". */
    String description();

    /** Lets go of what the launcher keeps for instances not started yet. */
    @Override
    default void close() {
    }
}
