package dev.laambda.platform.local;

/** What became of an invocation: the function's response, or an error in Lambda's format. */
public sealed interface InvocationResult {

    /** The function returned; {@code payload} is what the runtime posted. */
    record Success(byte[] payload) implements InvocationResult {
    }

    /**
     * The function or its runtime failed. {@code body} is the JSON error document
     * ({"errorMessage","errorType","stackTrace"}) as Lambda returns it to the caller.
     */
    record Failure(String errorType, byte[] body) implements InvocationResult {
    }
}
