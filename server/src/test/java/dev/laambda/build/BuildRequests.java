package dev.laambda.build;

import dev.laambda.runtime.Runtimes;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/** Build requests for the builder tests: the buildpack's own default runtime, as a push of an app that names none. */
final class BuildRequests {

    private BuildRequests() {
    }

    static BuildRequest of(Buildpack buildpack, Path buildDir, Path cacheDir, Map<String, String> config,
                           Consumer<String> out) {
        return new BuildRequest(buildpack, buildDir, cacheDir, Runtimes.require(buildpack.defaultRuntime(), "test", ""),
                config, out);
    }
}
