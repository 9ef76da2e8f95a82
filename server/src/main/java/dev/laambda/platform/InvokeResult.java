package dev.laambda.platform;

/**
 * What an invocation returned, as Lambda's Invoke API reports it: the payload (the function's result or
 * Lambda's error document), the error type when it failed (X-Amz-Function-Error), and the log of this
 * invocation (START ... REPORT) for `--log` / X-Amz-Log-Result, and the version that ran (null when the platform
 * did not say: an AWS-compatible server may not).
 */
public record InvokeResult(byte[] payload, String functionError, String log, String executedVersion) {

    public boolean failed() {
        return functionError != null;
    }
}
