package dev.laambda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker-compose.yml is valid for the real Compose CLI and wires the server to its PostgreSQL. */
class DockerComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void composeValidatesTheFile() throws Exception {
        Process process = new ProcessBuilder(composeCommand()).directory(ROOT.toFile()).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "compose config timed out");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "compose config rejected docker-compose.yml: " + output);
    }

    @Test
    void theServerGetsADatabaseUrlPointingAtTheComposePostgresAndSharesTheHostsNetworkAndPaths() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        // On the host's network (its instances reach the Runtime API on loopback), PostgreSQL published on loopback.
        assertTrue(compose.contains("network_mode: host"));
        assertTrue(compose.contains("\"127.0.0.1:5432:5432\""));
        assertTrue(compose.contains("DATABASE_URL: postgres://laambda:${POSTGRES_PASSWORD:-laambda}@127.0.0.1:5432/laambda"));
        assertTrue(compose.contains("condition: service_healthy"));
        // Build and instance containers mount the data dir and buildpacks by host path: the same path inside.
        assertTrue(compose.contains("- /var/lib/laambda:/var/lib/laambda"));
        assertTrue(compose.contains("- /var/run/docker.sock:/var/run/docker.sock"));
    }

    /** The Compose v2 plugin when present, else the standalone docker-compose that ./run-tests installs. */
    private static List<String> composeCommand() throws InterruptedException {
        boolean plugin;
        try {
            Process probe = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            plugin = probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException noDockerCli) {
            plugin = false;
        }
        return plugin ? List.of("docker", "compose", "config", "-q") : List.of("docker-compose", "config", "-q");
    }
}
