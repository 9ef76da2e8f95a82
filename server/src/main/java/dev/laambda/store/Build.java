package dev.laambda.store;

import java.time.Instant;

/** One run of a buildpack over a pushed commit, with its output. */
public record Build(long id, long appId, String gitSha, Status status, Instant startedAt, Instant finishedAt, String log) {

    public enum Status { RUNNING, SUCCEEDED, FAILED;

        public String sqlName() {
            return name().toLowerCase();
        }
    }
}
