package dev.laambda.docker;

import dev.laambda.OutputLimits;
import dev.laambda.testing.TestDocker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A container's output reaches the server in bounded lines, and Docker's errors never show its secret values. */
class ContainerTest {

    private static final String IMAGE = "laambda/stack-run:trixie";
    private static DockerEngine docker;

    @BeforeAll
    static void engine() {
        docker = TestDocker.require();
        docker.requireImage(IMAGE, "Run", "LAAMBDA_RUN_IMAGE");
    }

    private static ContainerSpec shell(String script, Map<String, String> env, Set<String> secrets) {
        return new ContainerSpec(IMAGE, List.of("sh", "-c"), List.of(script), env, "", "", List.of(), 0, 0, false,
                Map.of(), Optional.of("laambda-test"), ContainerSpec.Sandbox.lambda("none"), secrets);
    }

    @Test
    void fiveMegabytesWithoutANewlineArriveInPiecesOfAtMost256Kilobytes() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (Container container = Container.start(docker,
                shell("head -c 5242880 /dev/zero | tr '\\0' x; echo; echo done", Map.of(), Set.of()), lines::add)) {
            assertEquals(0, container.exit().get(60, TimeUnit.SECONDS));
            container.outputEnded().get(30, TimeUnit.SECONDS);
        }
        assertEquals("done", lines.get(lines.size() - 1));
        List<String> printed = lines.subList(0, lines.size() - 1);
        assertEquals(5 * 1024 * 1024, printed.stream().mapToInt(String::length).sum());
        assertTrue(printed.stream().allMatch(line -> line.length() <= OutputLimits.MAX_LINE_BYTES));
    }

    @Test
    void dockerRefusingAnEnvironmentDoesNotShowItsValueInTheErrorOrTheLog() {
        String secret = "docker-canary\0hidden-part";
        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        RuntimeException failed;
        try {
            failed = assertThrows(RuntimeException.class, () -> Container.start(docker,
                    shell("true", Map.of("TOKEN", secret), Set.of(secret)), line -> { }).close());
        } finally {
            System.setErr(original);
        }
        original.println("ContainerTest: Docker said: " + failed.getMessage());
        assertTrue(failed.getMessage().startsWith("Could not "), failed.getMessage());
        for (String shown : List.of(failed.getMessage(), log.toString(StandardCharsets.UTF_8))) {
            assertFalse(shown.contains("canary"), shown);
            assertFalse(shown.contains("hidden-part"), shown);
        }
    }
}
