package dev.laambda.store;

import java.time.Instant;

/**
 * One line of an app's log stream, as Heroku shows it: {@code source} "app" with the Procfile entry as
 * {@code process} for function output, or "laambda" with "router", "api" or "build" for the platform's own.
 * {@code requestId}: the invocation (or gateway request) it belongs to, when there is one. {@code id} orders
 * the stream and resumes a tail.
 */
public record LogLine(long id, long appId, Instant at, Source source, String process, String requestId, String line) {

    public enum Source {
        APP, LAAMBDA;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
