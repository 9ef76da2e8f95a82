package dev.laambda.platform;

/**
 * A function as its platform sees it now: Lambda's state ("Active" once its release is deployed) and the
 * execution environments it has, warm (idle, reused by the next invocation) and busy.
 */
public record FunctionStatus(String state, int warmInstances, int busyInstances) {
}
