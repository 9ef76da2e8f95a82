package dev.laambda.logs;

import dev.laambda.store.LogLine;

import java.time.Instant;

/**
 * One line of an app's stream as the API and https drains give it: the fields, and {@code text} in Heroku's format.
 */
public record LineView(long id, Instant at, String source, String process, String requestId, String line, String text) {

    public static LineView of(LogLine line) {
        return new LineView(line.id(), line.at(), line.source().id(), line.process(), line.requestId(), line.line(),
                HerokuLine.of(line));
    }
}
