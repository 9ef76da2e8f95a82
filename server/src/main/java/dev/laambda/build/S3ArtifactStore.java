package dev.laambda.build;

import dev.laambda.LaambdaException;
import dev.laambda.bucket.S3Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Artifacts in an S3 bucket as artifacts/SHA256.zip, shared by every server of the database: a release pushed
 * through one server runs on any other, which downloads the code once into its own cache. Each upload carries the
 * zip's SHA-256 for S3 to check, and a download is used only when its bytes hash to the name it was asked for.
 */
public final class S3ArtifactStore implements ArtifactStore {

    /** Where a stored artifact is, for Lambda's CreateFunction and UpdateFunctionCode (S3Bucket, S3Key). */
    public record Location(String bucket, String key) {
    }

    private static final Logger log = LoggerFactory.getLogger(S3ArtifactStore.class);

    private final S3Objects objects;
    private final S3Client s3;
    private final String bucket;
    /** This server's downloaded copies, laid out and published as the file store's (whole files only). */
    private final FileArtifactStore cache;

    public S3ArtifactStore(S3Objects objects, FileArtifactStore cache) {
        this.objects = objects;
        this.s3 = objects.client();
        this.bucket = objects.name();
        this.cache = cache;
    }

    /** Refuses to start, in one line, when the bucket cannot be reached with the server's credentials. */
    public S3ArtifactStore requireBucket() {
        if (!objects.bucketExists()) {
            throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "artifact_store_missing", "S3 bucket "
                    + bucket + " does not exist: create it, or correct LAAMBDA_S3_BUCKET");
        }
        return this;
    }

    @Override
    public boolean contains(String sha256) {
        return stored(sha256).isPresent();
    }

    /**
     * Uploads unless the bucket holds the object with this very SHA-256 already. An object under the name whose
     * checksum S3 does not vouch for (written by something else) is replaced. The pushing server keeps a copy in
     * its cache, so its own instances need no download.
     */
    @Override
    public StoredArtifact put(PackedArtifact artifact) {
        String sha = artifact.sha256();
        cache.put(artifact);
        String checksum = base64(sha);
        if (stored(sha).filter(checksum::equals).isPresent()) {
            return new StoredArtifact(sha, uri(sha), false);
        }
        objects.call("PutObject", key(sha), () -> s3.putObject(put -> put.bucket(bucket).key(key(sha))
                .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(checksum)
                .contentType("application/zip"), RequestBody.fromFile(cache.localCopy(sha))));
        log.info("event=artifact_uploaded sha256={} bytes={} bucket={}", sha, artifact.zippedBytes(), bucket);
        return new StoredArtifact(sha, uri(sha), true);
    }

    /** The cached copy, else a download into the cache that is published only when its bytes hash to {@code sha256}. */
    @Override
    public Path localCopy(String sha256) {
        Path target = cache.localCopy(sha256);
        if (Files.isRegularFile(target)) {
            return target;
        }
        Path temporary = null;
        try {
            Files.createDirectories(target.getParent());
            temporary = Files.createTempFile(target.getParent(), sha256, ".partial");
            Files.delete(temporary);
            Path download = temporary;
            try {
                objects.call("GetObject", key(sha256), () -> s3.getObject(get -> get.bucket(bucket).key(key(sha256)),
                        ResponseTransformer.toFile(download)));
            } catch (S3Objects.Missing e) {
                // A release names it, so it is the server's trouble, not the caller's.
                throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "artifact_missing", e.getMessage());
            }
            String actual = Sha256.of(download);
            if (!actual.equals(sha256)) {
                log.error("event=artifact_corrupt sha256={} actual={} bucket={}", sha256, actual, bucket);
                throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "artifact_corrupt", "The artifact "
                        + uri(sha256) + " hashes to " + actual + ", not to its name: the object was changed in the "
                        + "bucket; delete it and push the app again.");
            }
            Files.move(download, target, StandardCopyOption.ATOMIC_MOVE);
            log.info("event=artifact_downloaded sha256={} bucket={}", sha256, bucket);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not download artifact " + sha256 + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    @Override
    public String uri(String sha256) {
        return objects.uri(key(sha256));
    }

    /** Deletes the object and this server's copy (other servers' copies are never read again: no release names it). */
    @Override
    public void delete(String sha256) {
        objects.call("DeleteObject", key(sha256), () -> s3.deleteObject(delete -> delete.bucket(bucket).key(key(sha256))));
        cache.delete(sha256);
        log.info("event=artifact_deleted sha256={} bucket={}", sha256, bucket);
    }

    public Location location(String sha256) {
        return new Location(bucket, key(sha256));
    }

    /** The object's size in bytes, without downloading it. */
    public long size(String sha256) {
        return objects.call("HeadObject", key(sha256), () -> s3.headObject(head -> head.bucket(bucket).key(key(sha256))))
                .contentLength();
    }

    /** Whether the object is there, with the SHA-256 (base64) S3 recorded for it; "" when S3 recorded none. */
    private Optional<String> stored(String sha256) {
        try {
            HeadObjectResponse head = objects.call("HeadObject", key(sha256), () -> s3.headObject(h -> h.bucket(bucket)
                    .key(key(sha256)).checksumMode(ChecksumMode.ENABLED)));
            return Optional.of(head.checksumSHA256() == null ? "" : head.checksumSHA256());
        } catch (S3Objects.Missing e) {
            return Optional.empty();
        }
    }

    private static String key(String sha256) {
        FileArtifactStore.requireSha256(sha256);
        return "artifacts/" + sha256 + ".zip";
    }

    /** S3's ChecksumSHA256 of the artifact: its SHA-256, base64. */
    static String base64(String sha256) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256));
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover *.partial is never read: only names without the suffix are artifacts.
        }
    }
}
