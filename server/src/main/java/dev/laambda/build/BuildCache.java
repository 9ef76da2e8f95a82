package dev.laambda.build;

import dev.laambda.Directories;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Per-app, per-buildpack cache directories kept between pushes (pip, npm, go, maven caches). */
public final class BuildCache {

    private final Path root;

    public BuildCache(Path root) {
        this.root = root;
    }

    public Path dirFor(String app, String buildpack) {
        try {
            return Files.createDirectories(root.resolve(app).resolve(buildpack));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the build cache of " + app + ": " + e.getMessage(), e);
        }
    }

    public void clear(String app) {
        Directories.deleteTree(root.resolve(app));
    }
}
