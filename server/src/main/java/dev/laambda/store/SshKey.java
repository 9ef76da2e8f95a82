package dev.laambda.store;

import java.time.Instant;

/** A public key a user pushes with. */
public record SshKey(long id, long userId, String fingerprint, String publicKey, String name, Instant createdAt) {
}
