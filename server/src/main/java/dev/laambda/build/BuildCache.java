package dev.laambda.build;

import dev.laambda.Directories;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Per-app, per-buildpack cache directories kept between pushes (pip, npm, go, maven caches): ID/BUILDPACK,
 * keyed by the app's id so a later app of a destroyed app's name never sees its cache (see AppDirectories).
 * With a shared bucket ({@link S3BuildCaches}) each is also kept there, so any server's build starts warm.
 */
public final class BuildCache {

    private final Path root;
    private final Optional<S3BuildCaches> shared;

    public BuildCache(Path root) {
        this(root, Optional.empty());
    }

    public BuildCache(Path root, Optional<S3BuildCaches> shared) {
        this.root = root;
        this.shared = shared;
    }

    public Path dirFor(long appId, String buildpack) {
        try {
            return Files.createDirectories(root.resolve(Long.toString(appId)).resolve(buildpack));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the build cache of app " + appId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Before a build: replaces the cache directory by the bucket's copy when that is another upload than the one
     * it holds (another server built the app last); returns the archive's size when it did. Call under the app's
     * build lock, as {@link #save}.
     */
    public Optional<Long> restore(long appId, String buildpack) {
        if (shared.isEmpty()) {
            return Optional.empty();
        }
        Path dir = root.resolve(Long.toString(appId)).resolve(buildpack);
        try {
            Files.createDirectories(dir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the build cache of app " + appId + ": " + e.getMessage(), e);
        }
        return shared.get().restore(appId, buildpack, dir);
    }

    /** After a successful build: puts the cache in the shared bucket, when there is one and the build changed it. */
    public void save(long appId, String buildpack) {
        shared.ifPresent(bucket -> bucket.save(appId, buildpack, root.resolve(Long.toString(appId)).resolve(buildpack)));
    }

    /** Empties every cache of the app, here and in the shared bucket (other servers drop theirs at their next build). */
    public void clear(long appId) {
        Directories.deleteTree(root.resolve(Long.toString(appId)));
        shared.ifPresent(bucket -> bucket.delete(appId));
    }
}
