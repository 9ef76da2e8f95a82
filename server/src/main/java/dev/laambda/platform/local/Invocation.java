package dev.laambda.platform.local;

import java.util.concurrent.CompletableFuture;

/**
 * One event for a function instance, as the Runtime API hands it out, and the promise of its outcome.
 * {@code clientContext} and {@code cognitoIdentity} are null unless the caller set them.
 */
public record Invocation(String requestId, byte[] payload, long deadlineEpochMs, String functionArn, String traceId,
                         String clientContext, String cognitoIdentity, CompletableFuture<InvocationResult> result) {
}
