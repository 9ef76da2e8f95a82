package dev.laambda.build;

import dev.laambda.runtime.Runtimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class EnvDirTest {

    @TempDir
    Path temp;

    @Test
    void theEnvDirHoldsTheConfigAndNamesTheRuntimeOfTheRequestOverTheAppsOwnSetting() throws Exception {
        Path app = Files.createDirectories(temp.resolve("app"));
        // An app pinned to python3.12 at apps:create, whose config still says python3.13: the pin wins.
        BuildRequest request = new BuildRequest(new Buildpack("python", temp.resolve("python"), "python3.13"), app,
                temp.resolve("cache"), Runtimes.require("python3.12", "test", ""),
                Map.of("GREETING", "hi there", "LAAMBDA_RUNTIME", "python3.13"), line -> { });

        Path dir;
        try (EnvDir envDir = EnvDir.of(request)) {
            dir = envDir.path();
            assertEquals(Set.of("GREETING", "LAAMBDA_RUNTIME"), names(dir));
            assertEquals("python3.12", Files.readString(dir.resolve("LAAMBDA_RUNTIME")));
            assertEquals("hi there", Files.readString(dir.resolve("GREETING")));
            assertEquals(temp, dir.getParent(), "beside the build directory, where a build container can mount it");
        }
        assertFalse(Files.exists(dir), "the config values are gone once the build is over");
        assertEquals("python3.13", request.config().get("LAAMBDA_RUNTIME"), "the app's config itself is unchanged");
    }

    @Test
    void aRequestReadsTheAppsSettingsFromItsConfig() {
        BuildRequest request = new BuildRequest(new Buildpack("python", temp, "python3.13"), temp, temp,
                Runtimes.require("python3.13", "test", ""), Map.of("LAAMBDA_BUILD_IMAGE", " my/build:1 "), line -> { });
        assertEquals("my/build:1", request.settings().buildImage().orElseThrow());
    }

    private static Set<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
