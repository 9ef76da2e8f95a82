package dev.laambda.store;

import java.time.Instant;

/** A person who uses Laambda. */
public record User(long id, String email, boolean isAdmin, Instant createdAt) {
}
