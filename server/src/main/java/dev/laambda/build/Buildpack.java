package dev.laambda.build;

import java.nio.file.Path;

/** A buildpack on disk (Heroku buildpack API: bin/detect, bin/compile, bin/release) and its default Lambda runtime. */
public record Buildpack(String name, Path dir, String defaultRuntime) {

    public Path bin(String script) {
        return dir.resolve("bin").resolve(script);
    }
}
