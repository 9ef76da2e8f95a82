package dev.laambda.build;

/** Runs a buildpack's compile step over an app's source; where it runs is what varies (host, container). */
public interface Builder {

    /**
     * Runs the request's {@code bin/compile BUILD_DIR CACHE_DIR ENV_DIR}, streaming its output line by line.
     * Throws {@link BuildFailedException} when it fails or times out.
     */
    void compile(BuildRequest request);

    /** How builds run, for the push output: "local processes (no Docker)". */
    String description();
}
