package dev.laambda.build;

import dev.laambda.runtime.Runtimes;

import java.util.Locale;
import java.util.Map;

/**
 * Which image a buildpack runs in: the AWS SAM build image of the target runtime ({@link Runtimes})
 * (public.ecr.aws/sam/build-python3.13 for python3.13) — Bref's PHP build image for PHP — unless the
 * server sets one per buildpack (LAAMBDA_IMAGE_PYTHON) or the app sets its own (config LAAMBDA_BUILD_IMAGE).
 */
public final class BuildImages {

    static final String APP_SETTING = "LAAMBDA_BUILD_IMAGE";

    /** An image name and the setting that would change it, for error messages. */
    public record Image(String name, String setting) {
    }

    private final Map<String, String> serverSettings;

    public BuildImages(Map<String, String> serverSettings) {
        this.serverSettings = Map.copyOf(serverSettings);
    }

    public Image forBuild(String buildpack, String runtime, Map<String, String> appConfig) {
        String appImage = appConfig.get(APP_SETTING);
        if (appImage != null && !appImage.isBlank()) {
            return new Image(appImage.strip(), "the app's config " + APP_SETTING);
        }
        String setting = "LAAMBDA_IMAGE_" + buildpack.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        String configured = serverSettings.get(setting);
        if (configured != null) {
            return new Image(configured, setting);
        }
        if (buildpack.equals("php")) {
            return new Image("bref/build-php-84:latest", setting);
        }
        return new Image(Runtimes.require(runtime, "unsupported_runtime", "set " + APP_SETTING).buildImage(), setting);
    }
}
