package dev.laambda.cli;

/** An error answer of the Laambda API: the server's one-line message, its stable code and the HTTP status. */
final class ApiException extends CliException {

    private final int status;
    private final String code;

    ApiException(String message, String code, int status) {
        super(message);
        this.code = code;
        this.status = status;
    }

    /** The API's stable error code, such as {@code config_var_not_found}; null when the answer had none. */
    String code() {
        return code;
    }

    int status() {
        return status;
    }
}
