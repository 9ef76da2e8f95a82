package dev.laambda.platform.local;

import dev.laambda.LaambdaException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunImagesTest {

    @Test
    void aRuntimeRunsInTheCataloguesLambdaBaseImageUnlessTheServerSetsOneForItsFamily() {
        RunImages images = new RunImages(Map.of("LAAMBDA_RUN_IMAGE_JAVA", "local/java:21"));
        assertEquals(new RunImages.Image("public.ecr.aws/lambda/nodejs:22", "LAAMBDA_RUN_IMAGE_NODEJS"),
                images.forFunction("nodejs22.x", Map.of()));
        assertEquals(new RunImages.Image("public.ecr.aws/lambda/provided:al2", "LAAMBDA_RUN_IMAGE_PROVIDED"),
                images.forFunction("provided.al2", Map.of()));
        assertEquals(new RunImages.Image("local/java:21", "LAAMBDA_RUN_IMAGE_JAVA"), images.forFunction("java17", Map.of()));
    }

    @Test
    void anUnknownRuntimeIsRefusedWithTheList() {
        LaambdaException e = assertThrows(LaambdaException.class,
                () -> new RunImages(Map.of()).forFunction("python3.8", Map.of()));
        assertEquals("unsupported_runtime", e.code());
        assertTrue(e.getMessage().startsWith("Runtime 'python3.8' is not one Laambda runs: use one of python3.9,"), e.getMessage());
        assertTrue(e.getMessage().endsWith(", or set LAAMBDA_RUN_IMAGE."), e.getMessage());
    }
}
