package dev.laambda.store;

import dev.laambda.platform.PlatformKind;

import java.time.Instant;

/**
 * An app: one git repo, its releases and the functions of its current release, which run on {@code platform}
 * (on AWS, in {@code region} with the execution role {@code roleArn}).
 */
public record App(long id, String name, long ownerId, String ownerEmail, PlatformKind platform, String region,
                  String roleArn, String runtime, Long currentReleaseId, Integer currentVersion, Instant createdAt) {
}
