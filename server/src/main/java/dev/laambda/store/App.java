package dev.laambda.store;

import java.time.Instant;

/** An app: one git repo, its releases and the functions of its current release. */
public record App(long id, String name, long ownerId, String ownerEmail, String region, String roleArn,
                  String runtime, Long currentReleaseId, Integer currentVersion, Instant createdAt) {
}
