package dev.laambda.build;

import dev.laambda.Directories;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/** Heroku's ENV_DIR for bin/compile: one file per config var, named for it, holding its value; private (0700). */
final class EnvDir implements AutoCloseable {

    /** Config var names as ConfigVars accepts them; anything else could not be a file name here. */
    private static final Pattern CONFIG_KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    private final Path dir;

    private EnvDir(Path dir) {
        this.dir = dir;
    }

    /**
     * Writes it beside the build directory (inside the server's data dir), so a build container on the
     * same engine can mount it even when the server itself runs in a container with its own /tmp.
     */
    static EnvDir of(BuildRequest request) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory(request.buildDir().toAbsolutePath().getParent(), "env");
            for (Map.Entry<String, String> var : request.envDir().entrySet()) {
                if (!CONFIG_KEY.matcher(var.getKey()).matches()) {
                    throw new IllegalArgumentException("Not a config var name: " + var.getKey());
                }
                Files.writeString(dir.resolve(var.getKey()), var.getValue());
            }
            return new EnvDir(dir);
        } catch (IOException e) {
            if (dir != null) {
                Directories.deleteTree(dir);
            }
            throw new UncheckedIOException("Could not write the build's ENV_DIR: " + e.getMessage(), e);
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
