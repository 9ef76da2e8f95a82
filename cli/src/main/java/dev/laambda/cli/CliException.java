package dev.laambda.cli;

/** A failure the user can act on: its message is printed as one ` !    ` line and the CLI exits with 1. */
class CliException extends RuntimeException {

    CliException(String message) {
        super(message);
    }
}
