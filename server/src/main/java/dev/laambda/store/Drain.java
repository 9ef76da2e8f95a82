package dev.laambda.store;

import java.time.Instant;

/** One log drain of an app: where its stream goes, and {@code forwardedId}, the last line sent there. */
public record Drain(long id, long appId, String url, Instant createdAt, long forwardedId) {
}
