package dev.laambda.build;

import java.nio.file.Path;

/** Where artifacts are kept, each once, by sha256 (the filesystem by default; S3 for several servers). */
public interface ArtifactStore {

    boolean contains(String sha256);

    /**
     * Stores the artifact unless one with its sha is already there ({@code newlyStored} says which). A reader
     * never sees a partly written artifact, and a crash mid-put leaves none.
     */
    StoredArtifact put(PackedArtifact artifact);

    /** A local file with the artifact's bytes (for a remote store, a downloaded copy). */
    Path localCopy(String sha256);

    /** Deletes the artifact (no release references it any more); nothing when it is not there. */
    void delete(String sha256);

    /** Where the artifact lives, recorded with it in PostgreSQL. */
    String uri(String sha256);
}
