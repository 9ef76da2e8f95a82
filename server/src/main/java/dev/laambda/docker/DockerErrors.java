package dev.laambda.docker;

import com.github.dockerjava.api.exception.DockerException;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Docker's error text made safe to log or pass on: the engine quotes a container's environment in some errors
 * (a bad variable, an OCI runtime failure), so every value that must stay secret is replaced by {@code ***}:
 * as given, and each run of plain ASCII in it, which is what survives quoting (Go's %q, JSON, a C string cut
 * at a NUL). Runs shorter than {@link #MIN_HIDDEN_CHARS} are left, so short words of the text stay readable.
 */
public final class DockerErrors {

    public static final int MIN_HIDDEN_CHARS = 4;
    static final String MASK = "***";

    private DockerErrors() {
    }

    /** {@code text} with every secret value (and its quotable parts) replaced by {@code ***}. */
    public static String scrub(String text, Collection<String> secrets) {
        Set<String> hidden = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret.length() >= MIN_HIDDEN_CHARS) {
                hidden.add(secret);
            }
            for (String part : secret.split("[^\\x20-\\x7E]|[\"'\\\\]")) {
                if (part.length() >= MIN_HIDDEN_CHARS) {
                    hidden.add(part);
                }
            }
        }
        String scrubbed = text;
        for (String value : hidden.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            scrubbed = scrubbed.replace(value, MASK);
        }
        return scrubbed;
    }

    /**
     * One line for a failed engine call, safe to log or show: the engine's HTTP status (when it answered) and
     * the first line of its message, scrubbed of {@code secrets}.
     */
    public static String describe(Throwable e, Collection<String> secrets) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String first = message.lines().findFirst().orElse(message).strip();
        String scrubbed = scrub(first, secrets);
        if (e instanceof DockerException docker && !scrubbed.startsWith("Status ")) {
            return "Status " + docker.getHttpStatus() + ": " + scrubbed;
        }
        return scrubbed;
    }

    /**
     * {@code e} as a failure with the scrubbed one-line description and the same stack trace, but without its
     * cause: the cause's message is the engine's own text, and a logged stack trace would print it.
     */
    public static IllegalStateException scrubbed(String doing, RuntimeException e, Collection<String> secrets) {
        IllegalStateException safe = new IllegalStateException(doing + ": " + describe(e, secrets));
        safe.setStackTrace(e.getStackTrace());
        return safe;
    }
}
