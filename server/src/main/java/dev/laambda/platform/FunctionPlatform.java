package dev.laambda.platform;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Where functions run: Laambda's own local runtime, or AWS Lambda. */
public interface FunctionPlatform {

    /**
     * Going live, step 1 of 3 (prepare → switch → finish, docs/architecture.md): the slow work that can fail,
     * with nothing visible to callers — locally, check that every function could start here (its run image
     * exists, say) and unpack the code; on AWS, create or update the functions and publish versions. Throws a
     * LaambdaException saying what to fix; then the release is not stored and the current one stays live.
     * {@code progress} takes lines for the person waiting (a push's output), such as each function's ARN.
     */
    PreparedRollout prepare(Rollout rollout, Consumer<String> progress);

    /**
     * Runs one invocation on exactly the release {@code function} names; throws when it cannot even start.
     * {@code clientContext}: the caller's ClientContext JSON, which the function sees in its context.
     */
    InvokeResult invoke(FunctionSpec function, byte[] payload, Optional<String> clientContext);

    /** The function's state and instances now. */
    FunctionStatus status(FunctionRef function);

    /** The last {@code limit} lines of a function's log, oldest first. */
    List<FunctionLogLine> logs(FunctionRef function, int limit);

    /** Stops and forgets these functions (their app was destroyed). */
    void remove(List<FunctionRef> functions);

    /** One line for the logs: which platform, and how it runs instances. */
    String description();
}
