package dev.laambda.build;

import java.nio.file.Path;

/** A zipped build, named by the sha256 of its bytes. */
public record PackedArtifact(Path zip, String sha256, long zippedBytes, long unzippedBytes, int files) {

    /** Lambda takes at most 50 MB zipped in a direct upload; above that the code goes through S3. */
    public static final long DIRECT_UPLOAD_LIMIT = 50L * 1024 * 1024;

    public boolean needsS3Upload() {
        return zippedBytes > DIRECT_UPLOAD_LIMIT;
    }
}
