package dev.laambda;

import dev.laambda.runtime.LambdaRuntime;
import dev.laambda.runtime.Runtimes;

import java.util.Map;
import java.util.Optional;

/**
 * An app's own settings, carried in its config vars as LAAMBDA_*: the one place their names are spelled and
 * their values read ({@link ServerConfig} is the server's settings, read from its environment). A view: it
 * reads the map it was made from when asked, so a setting nobody reads cannot fail a push.
 */
public final class AppSettings {

    /** The buildpack to use instead of detecting one. */
    public static final String BUILDPACK = "LAAMBDA_BUILDPACK";
    /** The runtime the app builds and runs on, when the app pins none at apps:create. */
    public static final String RUNTIME = "LAAMBDA_RUNTIME";
    /** The image builds run in, instead of the runtime's build image. */
    public static final String BUILD_IMAGE = "LAAMBDA_BUILD_IMAGE";
    /** The image functions run in, instead of the runtime's run image. */
    public static final String RUN_IMAGE = "LAAMBDA_RUN_IMAGE";

    private final Map<String, String> config;

    private AppSettings(Map<String, String> config) {
        this.config = Map.copyOf(config);
    }

    public static AppSettings of(Map<String, String> config) {
        return new AppSettings(config);
    }

    /**
     * Refuses a value the setting {@code key} could never use, so config:set stores nothing that fails a later
     * push; keys that are not settings (the app's own variables) take any value.
     */
    public static void check(String key, String value) {
        if (key.equals(RUNTIME)) {
            runtimeOf(value);
        }
    }

    public Optional<String> buildpack() {
        return Optional.ofNullable(config.get(BUILDPACK));
    }

    /** The catalogue's runtime; an id it does not hold (stored before config:set checked it) is refused with the list. */
    public Optional<LambdaRuntime> runtime() {
        return Optional.ofNullable(config.get(RUNTIME)).map(AppSettings::runtimeOf);
    }

    /** A blank image setting counts as unset, as it always has. */
    public Optional<String> buildImage() {
        return image(BUILD_IMAGE);
    }

    public Optional<String> runImage() {
        return image(RUN_IMAGE);
    }

    private Optional<String> image(String key) {
        return Optional.ofNullable(config.get(key)).filter(value -> !value.isBlank()).map(String::strip);
    }

    private static LambdaRuntime runtimeOf(String id) {
        return Runtimes.require(id, "invalid_runtime", "");
    }
}
