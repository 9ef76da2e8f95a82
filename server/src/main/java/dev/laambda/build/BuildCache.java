package dev.laambda.build;

import dev.laambda.Directories;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per-app, per-buildpack cache directories kept between pushes (pip, npm, go, maven caches): ID/BUILDPACK,
 * keyed by the app's id so a later app of a destroyed app's name never sees its cache (see AppDirectories).
 */
public final class BuildCache {

    private final Path root;

    public BuildCache(Path root) {
        this.root = root;
    }

    public Path dirFor(long appId, String buildpack) {
        try {
            return Files.createDirectories(root.resolve(Long.toString(appId)).resolve(buildpack));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the build cache of app " + appId + ": " + e.getMessage(), e);
        }
    }

    public void clear(long appId) {
        Directories.deleteTree(root.resolve(Long.toString(appId)));
    }
}
