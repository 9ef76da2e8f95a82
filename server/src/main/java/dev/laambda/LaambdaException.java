package dev.laambda;

/**
 * The one error family: a message a person can act on, a stable code, and what
 * kind of failure it is. The API, the CLI and git output render the message as is.
 */
public class LaambdaException extends RuntimeException {

    /** What went wrong, in the terms every front end maps to its own signal (HTTP status, exit code). */
    public enum Kind { INVALID, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_LARGE, TOO_MANY_REQUESTS, UNAVAILABLE }

    private final Kind kind;
    private final String code;

    public LaambdaException(Kind kind, String code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
    }

    public static LaambdaException invalid(String code, String message) {
        return new LaambdaException(Kind.INVALID, code, message);
    }

    public static LaambdaException notFound(String code, String message) {
        return new LaambdaException(Kind.NOT_FOUND, code, message);
    }

    public static LaambdaException conflict(String code, String message) {
        return new LaambdaException(Kind.CONFLICT, code, message);
    }

    public static LaambdaException forbidden(String code, String message) {
        return new LaambdaException(Kind.FORBIDDEN, code, message);
    }

    public static LaambdaException unauthorized(String message) {
        return new LaambdaException(Kind.UNAUTHORIZED, "unauthorized", message);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
