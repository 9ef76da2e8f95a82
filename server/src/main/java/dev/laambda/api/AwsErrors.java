package dev.laambda.api;

import io.javalin.http.Context;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Errors on the AWS-compatible endpoints, shaped as AWS Lambda sends them so AWS SDKs raise the right
 * exception: the error type in {@code X-Amzn-ErrorType} and {@code {"Type": "User", "message": "…"}}.
 */
final class AwsErrors {

    /** Laambda error codes that already are AWS error types (ResourceNotFoundException, …) pass through. */
    private static final Pattern AWS_TYPE = Pattern.compile("[A-Z][A-Za-z]+Exception");

    private AwsErrors() {
    }

    static void answer(Context ctx, int status, String code, String message) {
        String type = AWS_TYPE.matcher(code).matches() ? code : typeFor(status);
        // AWS answers a bad or unknown credential with 403 UnrecognizedClientException.
        int awsStatus = status == 401 ? 403 : status;
        ctx.header("X-Amzn-ErrorType", type);
        ctx.status(awsStatus).json(Map.of("Type", awsStatus >= 500 ? "Service" : "User", "message", message));
    }

    static String typeFor(int status) {
        return switch (status) {
            case 400 -> "InvalidParameterValueException";
            case 401 -> "UnrecognizedClientException";
            case 403 -> "AccessDeniedException";
            case 404 -> "ResourceNotFoundException";
            case 405 -> "UnknownOperationException";
            case 409 -> "ResourceConflictException";
            case 413 -> "RequestTooLargeException";
            case 429 -> "TooManyRequestsException";
            default -> "ServiceException";
        };
    }
}
