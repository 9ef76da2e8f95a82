package dev.laambda.build;

import dev.laambda.AppSettings;
import dev.laambda.runtime.LambdaRuntime;
import dev.laambda.runtime.Runtimes;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which image a buildpack runs in: the AWS SAM build image of the target runtime ({@link Runtimes})
 * (public.ecr.aws/sam/build-python3.13 for python3.13) — Bref's PHP build image for PHP — unless the
 * server sets one per buildpack (LAAMBDA_IMAGE_PYTHON) or the app sets its own (config LAAMBDA_BUILD_IMAGE).
 */
public final class BuildImages {

    /** An image name and the setting that would change it, for error messages. */
    public record Image(String name, String setting) {
    }

    private final Map<String, String> serverSettings;

    public BuildImages(Map<String, String> serverSettings) {
        this.serverSettings = Map.copyOf(serverSettings);
    }

    public Image forBuild(String buildpack, LambdaRuntime runtime, AppSettings app) {
        Optional<String> own = app.buildImage();
        if (own.isPresent()) {
            return new Image(own.get(), "the app's config " + AppSettings.BUILD_IMAGE);
        }
        String setting = "LAAMBDA_IMAGE_" + buildpack.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        String configured = serverSettings.get(setting);
        if (configured != null) {
            return new Image(configured, setting);
        }
        if (buildpack.equals("php")) {
            return new Image("bref/build-php-84:latest", setting);
        }
        return new Image(runtime.buildImage(), setting);
    }
}
