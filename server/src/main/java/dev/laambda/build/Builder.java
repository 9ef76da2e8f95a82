package dev.laambda.build;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/** Runs a buildpack's compile step over an app's source; where it runs is what varies (host, container). */
public interface Builder {

    /**
     * Runs {@code bin/compile BUILD_DIR CACHE_DIR ENV_DIR}, streaming its output line by line.
     * Throws {@link BuildFailedException} when it fails or times out.
     */
    void compile(Buildpack buildpack, Path buildDir, Path cacheDir, Map<String, String> config, Consumer<String> out);

    /** How builds run, for the push output: "local processes (no Docker)". */
    String description();
}
