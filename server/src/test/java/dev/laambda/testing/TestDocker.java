package dev.laambda.testing;

import dev.laambda.docker.DockerEngine;
import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Docker engine for tests that build or run in containers. `./run-tests` starts one and sets
 * LAAMBDA_TESTS_REQUIRE_DOCKER=1, so there a missing engine fails the test; a bare `mvn test` on a
 * machine without Docker skips these tests instead.
 */
public final class TestDocker {

    private TestDocker() {
    }

    public static DockerEngine require() {
        DockerEngine.Connection docker = DockerEngine.connect("laambda-tests");
        if (docker.engine().isEmpty()) {
            if ("1".equals(System.getenv("LAAMBDA_TESTS_REQUIRE_DOCKER"))) {
                fail("These tests need Docker and LAAMBDA_TESTS_REQUIRE_DOCKER=1, but there is " + docker.description());
            }
            Assumptions.abort("No Docker engine: " + docker.description());
        }
        return docker.engine().get();
    }
}
