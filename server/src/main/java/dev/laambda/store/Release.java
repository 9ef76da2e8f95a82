package dev.laambda.store;

import java.time.Instant;

/** One immutable version of an app: artifact, encrypted config snapshot and formation. */
public record Release(long id, long appId, int version, Kind kind, String description, String artifactSha,
                      String gitSha, Long buildId, byte[] configCiphertext, String configKeyId, String formationJson,
                      Integer rolledBackFrom, Status status, Long createdById, String createdByEmail, Instant createdAt) {

    public enum Kind { DEPLOY, CONFIG, ROLLBACK, RESOURCES, PROMOTE, EVENT_SOURCES;

        public String sqlName() {
            return name().toLowerCase();
        }
    }

    public enum Status { PENDING, ACTIVE, FAILED, SUPERSEDED;

        public String sqlName() {
            return name().toLowerCase();
        }
    }

    /** A release that has been live at some point, and so may be rolled back to. */
    public boolean wasLive() {
        return status == Status.ACTIVE || status == Status.SUPERSEDED;
    }
}
