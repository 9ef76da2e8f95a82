package dev.laambda.platform.aws;

import dev.laambda.LaambdaException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns what an AWS call threw into Laambda's one-line error: what was being done, to what, and AWS's own
 * error code, so a user can look it up. Stable codes: aws_throttled (still throttled after the SDK's retries),
 * aws_access_denied, aws_unavailable (5xx, or AWS not reached at all), aws_no_credentials and aws_error (AWS
 * refused the request).
 */
final class AwsErrors {

    /** AWS's messages can be long (policies, stack traces from compatible servers): a line stays readable. */
    private static final int MAX_DETAIL = 300;

    private AwsErrors() {
    }

    /** {@code action} names the call and its subject, e.g. "UpdateFunctionCode of thumbs-create". */
    static LaambdaException failure(String action, SdkException e) {
        if (e instanceof AwsServiceException aws) {
            String code = aws.awsErrorDetails() == null || aws.awsErrorDetails().errorCode() == null
                    ? "HTTP " + aws.statusCode() : aws.awsErrorDetails().errorCode();
            String detail = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorMessage();
            String what = action + " failed: " + code
                    + (detail == null || detail.isBlank() ? "" : " (" + oneLine(detail) + ")");
            if (aws.isThrottlingException()) {
                return new LaambdaException(LaambdaException.Kind.TOO_MANY_REQUESTS, "aws_throttled",
                        what + ", still throttled after " + attempts(e));
            }
            if (aws.statusCode() == 403 || code.startsWith("AccessDenied")) {
                return LaambdaException.forbidden("aws_access_denied", what
                        + "; the server's AWS credentials are not allowed to do this");
            }
            if (aws.statusCode() >= 500) {
                return new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "aws_unavailable",
                        what + " after " + attempts(e));
            }
            return LaambdaException.invalid("aws_error", what);
        }
        // The SDK says so in a message listing every provider it tried: too long, and not what to do.
        if (e.getMessage() != null && e.getMessage().startsWith("Unable to load credentials")) {
            return new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "aws_no_credentials", action
                    + " failed: the server has no AWS credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or "
                    + "AWS_PROFILE, or run it with an instance or container role)");
        }
        return new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "aws_unavailable",
                action + " failed: AWS could not be reached (" + oneLine(e.getMessage()) + ")");
    }

    /** AWS answered but refused part of the request in its body (PutTargets' FailedEntries). */
    static LaambdaException refused(String action, String code, String detail) {
        return LaambdaException.invalid("aws_error", action + " failed: " + code
                + (detail == null || detail.isBlank() ? "" : " (" + oneLine(detail) + ")"));
    }

    private static String attempts(SdkException e) {
        Integer attempts = e.numAttempts();
        return attempts == null ? "retries" : attempts + (attempts == 1 ? " attempt" : " attempts");
    }

    private static String oneLine(String text) {
        String line = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "…";
    }
}
