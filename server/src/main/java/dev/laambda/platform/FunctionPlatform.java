package dev.laambda.platform;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where functions run: Laambda's own local runtime, or AWS Lambda. */
public interface FunctionPlatform {

    /** Makes a release's functions ready to invoke (AWS: create/update, publish, move the alias). */
    void deploy(List<FunctionSpec> functions);

    /**
     * Throws a LaambdaException saying what to fix when functions of {@code runtime} with this app config could
     * not start here (its run image is missing, say). Checked before a release goes live, so none goes live
     * that cannot run.
     */
    void checkRunnable(String runtime, Map<String, String> appConfig);

    /**
     * Runs one invocation on exactly the release {@code function} names; throws when it cannot even start.
     * {@code clientContext}: the caller's ClientContext JSON, which the function sees in its context.
     */
    InvokeResult invoke(FunctionSpec function, byte[] payload, Optional<String> clientContext);

    /** The function's state and instances now. */
    FunctionStatus status(String functionName);

    /** The last {@code limit} lines of a function's log, oldest first. */
    List<FunctionLogLine> logs(String functionName, int limit);

    /** Stops and forgets these functions (their app was destroyed). */
    void remove(List<String> functionNames);

    /** One line for the logs: which platform, and how it runs instances. */
    String description();
}
