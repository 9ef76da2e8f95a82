package dev.laambda.build;

import java.nio.file.Path;

/** Where artifacts are kept, each once, by sha256 (the filesystem by default; S3 for several servers). */
public interface ArtifactStore {

    boolean contains(String sha256);

    /** Stores the artifact unless one with its sha is already there; true when it stored a new one. */
    boolean put(PackedArtifact artifact);

    /** A local file with the artifact's bytes. */
    Path localCopy(String sha256);

    /** Where the artifact lives, recorded with it in PostgreSQL. */
    String uri(String sha256);
}
