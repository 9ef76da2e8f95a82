package dev.laambda.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Which lines of an app's stream: every filter applies before {@code limit}, which counts the newest lines that
 * pass (heroku/cli #1454). {@code afterId}: only lines after that one, oldest first (a tail resuming).
 */
public record LogQuery(long appId, int limit, Optional<String> process, Optional<LogLine.Source> source,
                       Optional<Instant> since, Optional<String> requestId, Optional<Long> afterId) {

    public LogQuery after(long id) {
        return new LogQuery(appId, limit, process, source, since, requestId, Optional.of(id));
    }
}
