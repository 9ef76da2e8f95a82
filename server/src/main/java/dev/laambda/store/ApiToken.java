package dev.laambda.store;

import java.time.Instant;

/** One of a user's API tokens; the token itself is never stored, only its hash. */
public record ApiToken(long id, long userId, String description, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
}
