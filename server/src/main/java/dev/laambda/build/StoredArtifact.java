package dev.laambda.build;

/** An artifact in the store: where it lives, and whether this put stored it or found it already there. */
public record StoredArtifact(String sha256, String uri, boolean newlyStored) {
}
