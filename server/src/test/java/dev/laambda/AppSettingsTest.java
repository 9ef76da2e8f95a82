package dev.laambda;

import dev.laambda.runtime.Runtimes;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppSettingsTest {

    @Test
    void everySettingIsReadFromTheAppsConfigVars() {
        AppSettings settings = AppSettings.of(Map.of(
                "LAAMBDA_BUILDPACK", "nodejs",
                "LAAMBDA_RUNTIME", "nodejs22.x",
                "LAAMBDA_BUILD_IMAGE", "my/build:22",
                "LAAMBDA_RUN_IMAGE", " my/run:22 ",
                "GREETING", "hello"));

        assertEquals(Optional.of("nodejs"), settings.buildpack());
        assertEquals(Runtimes.find("nodejs22.x"), settings.runtime());
        assertEquals(Optional.of("my/build:22"), settings.buildImage());
        assertEquals(Optional.of("my/run:22"), settings.runImage(), "an image name is read without its spaces");
    }

    @Test
    void anAppThatSetsNothingHasNoSettings() {
        AppSettings settings = AppSettings.of(Map.of("GREETING", "hello"));

        assertEquals(Optional.empty(), settings.buildpack());
        assertEquals(Optional.empty(), settings.runtime());
        assertEquals(Optional.empty(), settings.buildImage());
        assertEquals(Optional.empty(), settings.runImage());
    }

    @Test
    void aBlankImageSettingCountsAsUnset() {
        AppSettings settings = AppSettings.of(Map.of("LAAMBDA_BUILD_IMAGE", "", "LAAMBDA_RUN_IMAGE", "  "));

        assertEquals(Optional.empty(), settings.buildImage());
        assertEquals(Optional.empty(), settings.runImage());
    }

    @Test
    void anUnknownRuntimeIsRefusedWithTheListOfRuntimes() {
        // Stored before config:set checked it: reading it refuses, naming what to use instead.
        AppSettings settings = AppSettings.of(Map.of("LAAMBDA_RUNTIME", "ruby3.3", "LAAMBDA_BUILDPACK", "python"));

        LaambdaException e = assertThrows(LaambdaException.class, settings::runtime);
        assertEquals("invalid_runtime", e.code());
        assertEquals("Runtime 'ruby3.3' is not one Laambda runs: use one of python3.9, python3.10, python3.11, "
                + "python3.12, python3.13, nodejs18.x, nodejs20.x, nodejs22.x, java11, java17, java21, provided.al2, "
                + "provided.al2023.", e.getMessage());
        assertEquals(Optional.of("python"), settings.buildpack(), "the other settings still read");
    }

    @Test
    void checkRefusesOnlyValuesASettingCouldNeverUse() {
        LaambdaException e = assertThrows(LaambdaException.class, () -> AppSettings.check("LAAMBDA_RUNTIME", "python2.7"));
        assertEquals("invalid_runtime", e.code());
        assertTrue(e.getMessage().startsWith("Runtime 'python2.7' is not one Laambda runs: use one of python3.9,"),
                e.getMessage());
        assertDoesNotThrow(() -> AppSettings.check("LAAMBDA_RUNTIME", "python3.9"), "deprecated, still run");
        assertDoesNotThrow(() -> AppSettings.check("GREETING", "python2.7"), "the app's own variable");
        assertDoesNotThrow(() -> AppSettings.check("LAAMBDA_BUILD_IMAGE", "anything/at:all"));
    }
}
