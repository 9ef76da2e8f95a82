package dev.laambda.store;

import java.time.Instant;
import java.util.Optional;

/**
 * One running Laambda server of the database, as its heartbeat row says: where it listens and the artifact bucket
 * it shares ({@code artifactBucket} empty: its artifacts are on its own disk only).
 */
public record Server(String id, String host, String httpAddress, String sshAddress, Optional<String> artifactBucket,
                     Instant startedAt, Instant heartbeatAt) {

    /** How a refusal names it: its host and HTTP address. */
    public String described() {
        return host + " at " + httpAddress;
    }
}
