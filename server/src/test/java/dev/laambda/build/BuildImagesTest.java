package dev.laambda.build;

import dev.laambda.LaambdaException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuildImagesTest {

    private final BuildImages images = new BuildImages(Map.of());

    @Test
    void aRuntimeBuildsInTheCataloguesSamImage() {
        assertEquals(new BuildImages.Image("public.ecr.aws/sam/build-python3.12:latest", "LAAMBDA_IMAGE_PYTHON"),
                images.forBuild("python", "python3.12", Map.of()));
        assertEquals("bref/build-php-84:latest", images.forBuild("php", "provided.al2023", Map.of()).name());
    }

    @Test
    void anUnknownRuntimeIsRefusedUnlessTheAppNamesItsOwnImage() {
        LaambdaException e = assertThrows(LaambdaException.class, () -> images.forBuild("python", "ruby3.3", Map.of()));
        assertEquals("unsupported_runtime", e.code());
        assertTrue(e.getMessage().endsWith("provided.al2023, or set LAAMBDA_BUILD_IMAGE."), e.getMessage());
        assertEquals("my/ruby:3.3", images.forBuild("python", "ruby3.3", Map.of("LAAMBDA_BUILD_IMAGE", "my/ruby:3.3")).name());
    }
}
