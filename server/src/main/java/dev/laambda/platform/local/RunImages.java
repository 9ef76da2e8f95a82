package dev.laambda.platform.local;

import dev.laambda.AppSettings;
import dev.laambda.runtime.LambdaRuntime;
import dev.laambda.runtime.Runtimes;

import java.util.Map;
import java.util.Optional;

/**
 * Which image a function's containers run: AWS's Lambda base image for its runtime ({@link Runtimes})
 * (public.ecr.aws/lambda/python:3.13 for python3.13), unless the server sets one for the runtime family
 * (LAAMBDA_RUN_IMAGE_PYTHON) or the app sets its own (config LAAMBDA_RUN_IMAGE).
 */
public final class RunImages {

    /** An image name and the setting that would change it, for error messages. */
    record Image(String name, String setting) {
    }

    private final Map<String, String> serverEnvironment;

    public RunImages(Map<String, String> serverEnvironment) {
        this.serverEnvironment = Map.copyOf(serverEnvironment);
    }

    Image forFunction(String runtime, Map<String, String> appConfig) {
        Optional<String> appImage = AppSettings.of(appConfig).runImage();
        if (appImage.isPresent()) {
            return new Image(appImage.get(), "the app's config " + AppSettings.RUN_IMAGE);
        }
        LambdaRuntime known = Runtimes.require(runtime, "unsupported_runtime", "set " + AppSettings.RUN_IMAGE);
        String setting = "LAAMBDA_RUN_IMAGE_" + known.family().name();
        String configured = serverEnvironment.get(setting);
        if (configured != null && !configured.isBlank()) {
            return new Image(configured.strip(), setting);
        }
        return new Image(known.runImage(), setting);
    }
}
