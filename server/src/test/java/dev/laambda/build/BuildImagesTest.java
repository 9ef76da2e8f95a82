package dev.laambda.build;

import dev.laambda.AppSettings;
import dev.laambda.runtime.Runtimes;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BuildImagesTest {

    private final BuildImages images = new BuildImages(Map.of());
    private final AppSettings noSettings = AppSettings.of(Map.of());

    @Test
    void aRuntimeBuildsInTheCataloguesSamImage() {
        assertEquals(new BuildImages.Image("public.ecr.aws/sam/build-python3.12:latest", "LAAMBDA_IMAGE_PYTHON"),
                images.forBuild("python", Runtimes.require("python3.12", "test", ""), noSettings));
        assertEquals("bref/build-php-84:latest",
                images.forBuild("php", Runtimes.require("provided.al2023", "test", ""), noSettings).name());
    }

    @Test
    void theServersImageForTheBuildpackWinsOverTheCatalogues() {
        BuildImages configured = new BuildImages(Map.of("LAAMBDA_IMAGE_PYTHON", "mirror/build-python:3.12"));
        assertEquals(new BuildImages.Image("mirror/build-python:3.12", "LAAMBDA_IMAGE_PYTHON"),
                configured.forBuild("python", Runtimes.require("python3.12", "test", ""), noSettings));
    }

    @Test
    void theAppsOwnBuildImageWinsOverEveryOther() {
        BuildImages configured = new BuildImages(Map.of("LAAMBDA_IMAGE_PYTHON", "mirror/build-python:3.12"));
        assertEquals(new BuildImages.Image("my/python:3.12", "the app's config LAAMBDA_BUILD_IMAGE"),
                configured.forBuild("python", Runtimes.require("python3.12", "test", ""),
                        AppSettings.of(Map.of("LAAMBDA_BUILD_IMAGE", "my/python:3.12"))));
        assertEquals("public.ecr.aws/sam/build-python3.12:latest", images.forBuild("python",
                Runtimes.require("python3.12", "test", ""), AppSettings.of(Map.of("LAAMBDA_BUILD_IMAGE", " "))).name(),
                "a blank setting is no setting");
    }
}
