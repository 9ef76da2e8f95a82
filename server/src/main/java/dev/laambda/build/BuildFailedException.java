package dev.laambda.build;

import dev.laambda.LaambdaException;

import java.util.List;

/** A build that did not produce an app: the buildpack failed or ran out of time. */
public final class BuildFailedException extends LaambdaException {

    private final List<String> lastLines;

    public BuildFailedException(String message, List<String> lastLines) {
        super(Kind.INVALID, "build_failed", message);
        this.lastLines = List.copyOf(lastLines);
    }

    /** The build's final output lines, for a report that shows what went wrong. */
    public List<String> lastLines() {
        return lastLines;
    }
}
