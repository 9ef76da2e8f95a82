package dev.laambda.build;

import dev.laambda.Directories;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A build's own temporary space (its TMPDIR, or /tmp in a build container), beside the build directory so
 * it counts against the build's disk quota and goes when the build ends.
 */
final class ScratchDir implements AutoCloseable {

    private final Path dir;

    private ScratchDir(Path dir) {
        this.dir = dir;
    }

    static ScratchDir besides(Path buildDir) {
        try {
            return new ScratchDir(Files.createTempDirectory(buildDir.toAbsolutePath().getParent(), "tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make the build's temporary directory: " + e.getMessage(), e);
        }
    }

    Path path() {
        return dir;
    }

    @Override
    public void close() {
        Directories.deleteTree(dir);
    }
}
