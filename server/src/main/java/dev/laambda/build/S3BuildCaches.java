package dev.laambda.build;

import dev.laambda.Directories;
import dev.laambda.bucket.AppObjects;
import dev.laambda.bucket.S3Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Build caches kept in the shared bucket too, as apps/ID/cache/BUILDPACK.tar.gz, so a build on a server that did
 * not run the app's last build starts warm. Beside each cache directory (outside what a build sees),
 * BUILDPACK.s3 records which upload of the object the directory holds (its ETag) and the directory's fingerprint
 * then: a directory is replaced only when the bucket holds a newer upload, and uploaded only when a build
 * changed it. Nothing here fails a build: a cache that cannot be restored or saved is logged in one line and the
 * build goes on, only slower.
 */
public final class S3BuildCaches {

    /** Caches whose tar.gz is larger are not uploaded (each server keeps its own copy then). */
    public static final long LIMIT_BYTES = 512L << 20;

    private static final Logger log = LoggerFactory.getLogger(S3BuildCaches.class);

    /** Which upload a local cache directory holds, and its fingerprint when it was restored or saved. */
    private record Marker(String etag, String fingerprint) {
    }

    private final S3Objects bucket;
    private final long limitBytes;

    public S3BuildCaches(S3Objects bucket, long limitBytes) {
        this.bucket = bucket;
        this.limitBytes = limitBytes;
    }

    /**
     * Brings {@code dir} (the app's cache for {@code buildpack}) up to the bucket's copy when that is another
     * upload than the one the directory holds; returns the archive's size when it did. A cache the bucket no longer
     * has, though this directory came from it, was cleared through another server: it goes here too.
     */
    Optional<Long> restore(long appId, String buildpack, Path dir) {
        String key = AppObjects.cache(appId, buildpack);
        Path download = dir.resolveSibling("." + buildpack + ".download");
        Path unpacked = dir.resolveSibling("." + buildpack + ".restoring");
        try {
            Optional<S3Objects.Stored> stored = bucket.head(key);
            Optional<Marker> local = marker(dir);
            if (stored.isEmpty()) {
                if (local.isPresent()) {
                    Directories.deleteTree(dir);
                    Files.deleteIfExists(markerFile(dir));
                    log.info("event=build_cache_cleared_elsewhere app_id={} buildpack={}", appId, buildpack);
                }
                return Optional.empty();
            }
            if (Files.isDirectory(dir) && local.map(Marker::etag).filter(stored.get().etag()::equals).isPresent()) {
                return Optional.empty();
            }
            if (stored.get().bytes() > limitBytes) {
                log.info("event=build_cache_not_restored app_id={} buildpack={} reason=too_large bytes={} limit_bytes={}",
                        appId, buildpack, stored.get().bytes(), limitBytes);
                return Optional.empty();
            }
            deleteQuietly(List.of(download, unpacked));
            S3Objects.Stored got = bucket.download(key, download);
            CacheArchive.unpack(download, unpacked);
            Files.deleteIfExists(markerFile(dir));
            Directories.deleteTree(dir);
            Files.move(unpacked, dir);
            writeMarker(dir, new Marker(got.etag(), CacheArchive.fingerprint(dir)));
            log.info("event=build_cache_restored app_id={} buildpack={} bytes={}", appId, buildpack, got.bytes());
            return Optional.of(got.bytes());
        } catch (IOException | RuntimeException e) {
            log.warn("event=build_cache_restore_failed app_id={} buildpack={} error=\"{}\"", appId, buildpack, S3Objects.logValue(e));
            return Optional.empty();
        } finally {
            deleteQuietly(List.of(download, unpacked));
        }
    }

    /** Uploads {@code dir} unless the build left it as it was restored or last saved, or it is over the limit. */
    void save(long appId, String buildpack, Path dir) {
        Path archive = dir.resolveSibling("." + buildpack + ".upload");
        try {
            if (!Files.isDirectory(dir)) {
                return;
            }
            String fingerprint = CacheArchive.fingerprint(dir);
            if (marker(dir).map(Marker::fingerprint).filter(fingerprint::equals).isPresent()) {
                return;
            }
            deleteQuietly(List.of(archive));
            try {
                CacheArchive.pack(dir, archive, limitBytes);
            } catch (CacheArchive.TooLarge e) {
                log.info("event=build_cache_not_saved app_id={} buildpack={} reason=too_large limit_bytes={}", appId,
                        buildpack, limitBytes);
                return;
            }
            long bytes = Files.size(archive);
            String etag = bucket.upload(AppObjects.cache(appId, buildpack), archive, "application/gzip");
            writeMarker(dir, new Marker(etag, fingerprint));
            log.info("event=build_cache_saved app_id={} buildpack={} bytes={}", appId, buildpack, bytes);
        } catch (IOException | RuntimeException e) {
            log.warn("event=build_cache_save_failed app_id={} buildpack={} error=\"{}\"", appId, buildpack, S3Objects.logValue(e));
        } finally {
            deleteQuietly(List.of(archive));
        }
    }

    /** Deletes every buildpack's cache of the app from the bucket (a failure is the caller's to report). */
    void delete(long appId) {
        int deleted = bucket.deleteUnder(AppObjects.caches(appId));
        log.info("event=build_cache_deleted_from_bucket app_id={} objects={}", appId, deleted);
    }

    private static Path markerFile(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".s3");
    }

    private static Optional<Marker> marker(Path dir) throws IOException {
        Path file = markerFile(dir);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.size() == 2 ? Optional.of(new Marker(lines.get(0), lines.get(1))) : Optional.empty();
    }

    private static void writeMarker(Path dir, Marker marker) throws IOException {
        Files.writeString(markerFile(dir), marker.etag() + "\n" + marker.fingerprint() + "\n", StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(List<Path> paths) {
        for (Path path : paths) {
            try {
                if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Directories.deleteTree(path);
                } else {
                    Files.deleteIfExists(path);
                }
            } catch (IOException | UncheckedIOException e) {
                log.debug("event=build_cache_temp_left path={} error={}", path, e.getMessage());
            }
        }
    }
}
