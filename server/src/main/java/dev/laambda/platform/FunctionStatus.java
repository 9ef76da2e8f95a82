package dev.laambda.platform;

/**
 * A function as its platform sees it now: Lambda's state ("Active" once its release is deployed) and the
 * execution environments it has, warm (idle, reused by the next invocation) and busy (the local platform's
 * counts; on AWS, where Lambda does not say, null). On AWS also its ARN, the version its {@code live} alias
 * points at, and the alias's Function URL when it has one; null elsewhere.
 */
public record FunctionStatus(String state, Integer warmInstances, Integer busyInstances, String arn, String liveVersion,
                             String url) {

    /** A function on the local platform. */
    public static FunctionStatus local(String state, int warmInstances, int busyInstances) {
        return new FunctionStatus(state, warmInstances, busyInstances, null, null, null);
    }
}
