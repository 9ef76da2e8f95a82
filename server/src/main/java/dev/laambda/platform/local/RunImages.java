package dev.laambda.platform.local;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which image a function's containers run: AWS's Lambda base image for its runtime
 * (public.ecr.aws/lambda/python:3.13 for python3.13), unless the server sets one for the runtime family
 * (LAAMBDA_RUN_IMAGE_PYTHON) or the app sets its own (config LAAMBDA_RUN_IMAGE).
 */
public final class RunImages {

    static final String APP_SETTING = "LAAMBDA_RUN_IMAGE";
    private static final Pattern RUNTIME = Pattern.compile("(python|nodejs|java|provided)(.*)");

    /** An image name and the setting that would change it, for error messages. */
    record Image(String name, String setting) {
    }

    private final Map<String, String> serverEnvironment;

    public RunImages(Map<String, String> serverEnvironment) {
        this.serverEnvironment = Map.copyOf(serverEnvironment);
    }

    Image forFunction(String runtime, Map<String, String> appConfig) {
        String appImage = appConfig.get(APP_SETTING);
        if (appImage != null && !appImage.isBlank()) {
            return new Image(appImage.strip(), "the app's config " + APP_SETTING);
        }
        Matcher matcher = RUNTIME.matcher(runtime);
        if (!matcher.matches()) {
            throw LaambdaException.invalid("unsupported_runtime", "Runtime '" + Echo.of(runtime) + "' has no run image: "
                    + "use python3.x, nodejs20.x, java21 or provided.al2023, or set " + APP_SETTING + ".");
        }
        String family = matcher.group(1);
        String setting = "LAAMBDA_RUN_IMAGE_" + (family.equals("provided") ? "PROVIDED" : family.toUpperCase(Locale.ROOT));
        String configured = serverEnvironment.get(setting);
        if (configured != null && !configured.isBlank()) {
            return new Image(configured.strip(), setting);
        }
        return new Image(awsBaseImage(family, matcher.group(2)), setting);
    }

    /** python3.13 → public.ecr.aws/lambda/python:3.13, nodejs20.x → nodejs:20, java21 → java:21, provided.al2023 → provided:al2023. */
    static String awsBaseImage(String family, String version) {
        String tag = switch (family) {
            case "python" -> version;
            case "nodejs" -> version.replace(".x", "");
            case "java" -> version;
            default -> version.startsWith(".") ? version.substring(1) : version;
        };
        return "public.ecr.aws/lambda/" + family + ":" + tag;
    }
}
