package dev.laambda.build;

import dev.laambda.AppSettings;
import dev.laambda.runtime.LambdaRuntime;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One build: {@code buildpack}'s compile step over {@code buildDir} (the app's source, compiled in place) with
 * the app's {@code cacheDir}, for {@code runtime}; {@code config} is the app's config vars, which the buildpack
 * reads in ENV_DIR; {@code out} gets the build's output line by line.
 */
public record BuildRequest(Buildpack buildpack, Path buildDir, Path cacheDir, LambdaRuntime runtime,
                           Map<String, String> config, Consumer<String> out) {

    public BuildRequest {
        Objects.requireNonNull(buildpack, "buildpack");
        Objects.requireNonNull(buildDir, "buildDir");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(runtime, "runtime");
        config = Map.copyOf(config);
        Objects.requireNonNull(out, "out");
    }

    /** The app's LAAMBDA_* settings, read from the same config vars. */
    public AppSettings settings() {
        return AppSettings.of(config);
    }

    /**
     * What ENV_DIR holds: the config vars, and LAAMBDA_RUNTIME naming the runtime the build is for (buildpacks/README.md),
     * which wins over the app's own LAAMBDA_RUNTIME when the app pinned another at apps:create.
     */
    Map<String, String> envDir() {
        Map<String, String> vars = new HashMap<>(config);
        vars.put(AppSettings.RUNTIME, runtime.id());
        return vars;
    }
}
