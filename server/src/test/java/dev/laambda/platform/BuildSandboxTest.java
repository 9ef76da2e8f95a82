package dev.laambda.platform;

import dev.laambda.docker.DockerEngine;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestDocker;
import dev.laambda.testing.TestNetwork;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile tenant's build hook (bin/pre_compile), pushed as any user would push it, tries what a build must
 * not do: the server's ports on every host address, a raw packet socket, root, the shared PHP runtime layer
 * and another app's cache and source, a fork bomb. It prints what it saw; every attempt must have failed,
 * and the next app's build ships the PHP layer as it was.
 */
class BuildSandboxTest {

    /** Prints "PROBE what result" lines; always exits 0, so the push shows them and the build goes on. */
    private static final String HOOK = """
            #!/usr/bin/env bash
            probe() { echo "PROBE $1 $2"; }
            while read -r target; do
              if timeout 2 bash -c "exec 3<>/dev/tcp/${target%:*}/${target##*:}" 2>/dev/null; then
                probe "connect:$target" open
              else
                probe "connect:$target" closed
              fi
            done < probe-targets.txt
            probe af_packet "$(perl -e 'socket(my $s, 17, 3, 768) ? print "opened" : print "refused"')"
            probe uid "$(id -u)"
            if touch /tmp/shared-cache/poison 2>/dev/null; then probe shared_cache written; else probe shared_cache refused; fi
            for php in /tmp/shared-cache/*/bin/php; do
              if [ -e "$php" ]; then
                if echo poisoned > "$php" 2>/dev/null; then probe shared_layer written; else probe shared_layer refused; fi
              fi
            done
            while read -r path; do
              if ls "$path" >/dev/null 2>&1; then probe "read:$path" read; else probe "read:$path" refused; fi
            done < probe-paths.txt
            probe forked "$(perl -e 'my @kids; for (1..6000) { my $p = fork(); last unless defined $p; if (!$p) { sleep 30; exit 0 } push @kids, $p } print scalar(@kids); kill 9, @kids; waitpid($_, 0) for @kids')"
            exit 0
            """;
    private static final String HANDLER = "<?php\nreturn fn (array $event) => ['php' => PHP_VERSION];\n";

    private static DockerEngine docker;
    private static TestServer server;
    private static TestApi api;

    @BeforeAll
    static void pushANeighbour() {
        docker = TestDocker.require();
        server = TestServer.start(Map.of("LAAMBDA_BUILDER", "docker", "LAAMBDA_INSTANCES", "container"));
        api = server.admin();
        TestApp neighbour = TestApp.create(server, "neighbour", Map.of("handler.php", HANDLER, "Procfile", "web: handler.php\n"));
        neighbour.pushAccepted();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aHostileBuildHookReachesNothingChangesNothingSharedAndStopsAtTheProcessLimit() throws Exception {
        Path layerPhp = publishedPhp();
        byte[] layerBefore = Files.readAllBytes(layerPhp);
        int httpPort = URI.create(server.url()).getPort();
        List<String> targets = new ArrayList<>();
        List<String> hosts = new ArrayList<>(List.of("127.0.0.1", TestNetwork.gateway(docker, "laambda-builds")));
        hosts.addAll(TestNetwork.hostAddresses(false));
        for (String host : hosts) {
            targets.add(host + ":" + httpPort);
            targets.add(host + ":" + server.sshPort());
        }
        targets.add("169.254.169.254:80");
        List<String> paths = List.of(server.dataDir().resolve("cache").toString(), server.dataDir().resolve("repos").toString(),
                server.dataDir().resolve("master.key").toString());
        TestApp hostile = TestApp.create(server, "hostile", Map.of("handler.php", HANDLER, "Procfile", "web: handler.php\n",
                "bin/pre_compile", HOOK, "probe-targets.txt", String.join("\n", targets) + "\n",
                "probe-paths.txt", String.join("\n", paths) + "\n"));
        hostile.makeExecutable("bin/pre_compile");
        Map<String, String> seen = probes(hostile.pushAccepted());

        for (String target : targets) {
            assertEquals("closed", seen.get("connect:" + target), target + ": " + seen);
        }
        assertEquals("refused", seen.get("af_packet"), seen.toString());
        assertNotEquals("0", seen.get("uid"), "a build runs as root: " + seen);
        assertEquals("refused", seen.get("shared_cache"), seen.toString());
        assertEquals("refused", seen.get("shared_layer"), seen.toString());
        for (String path : paths) {
            assertEquals("refused", seen.get("read:" + path), path + ": " + seen);
        }
        assertTrue(Integer.parseInt(seen.get("forked")) < 4096, seen.toString());

        assertTrue(java.util.Arrays.equals(layerBefore, Files.readAllBytes(layerPhp)), "the shared layer changed");
        TestApp next = TestApp.create(server, "nextapp", Map.of("handler.php", HANDLER, "Procfile", "web: handler.php\n"));
        assertTrue(next.pushAccepted().contains("Using cached PHP"), "the next app uses the published layer");
        assertEquals(200, api.post("/api/v1/apps/nextapp/functions/web/invoke", "{}").status());
    }

    @Test
    void aBuildReachesAHostPortOnlyWhenTheOperatorAllowsIt() throws Exception {
        String host = TestNetwork.hostAddresses(false).get(0);
        try (ServerSocket mirror = TestNetwork.listener(host)) {
            String target = host + ":" + mirror.getLocalPort();
            assertEquals("closed", probes(push(server, "unallowed", target)).get("connect:" + target));
            try (TestServer allowing = TestServer.start(Map.of("LAAMBDA_BUILDER", "docker", "LAAMBDA_INSTANCES", "container",
                    "LAAMBDA_BUILD_ALLOW", target))) {
                assertEquals("open", probes(push(allowing, "allowed", target)).get("connect:" + target));
            }
        } finally {
            // The next server to start sets the build network's rules again, without that allowance.
            TestServer.start(Map.of("LAAMBDA_BUILDER", "docker", "LAAMBDA_INSTANCES", "container")).close();
        }
    }

    private static String push(TestServer on, String name, String target) {
        TestApp app = TestApp.create(on, name, Map.of("handler.php", HANDLER, "Procfile", "web: handler.php\n",
                "bin/pre_compile", "#!/usr/bin/env bash\nif timeout 2 bash -c 'exec 3<>/dev/tcp/" + target.replace(":", "/")
                        + "' 2>/dev/null; then echo 'PROBE connect:" + target + " open'; else echo 'PROBE connect:" + target
                        + " closed'; fi\n"));
        app.makeExecutable("bin/pre_compile");
        return app.pushAccepted();
    }

    /** The PROBE lines of a push's output: what → result. */
    private static Map<String, String> probes(String pushOutput) {
        Map<String, String> seen = new LinkedHashMap<>();
        pushOutput.lines().map(line -> line.replaceFirst("^remote:\\s*", "").strip())
                .filter(line -> line.startsWith("PROBE "))
                .forEach(line -> {
                    String[] parts = line.split(" ", 3);
                    seen.put(parts[1], parts.length > 2 ? parts[2] : "");
                });
        assertFalse(seen.isEmpty(), pushOutput);
        return seen;
    }

    /** The php binary of the PHP runtime layer the server published for every app. */
    private static Path publishedPhp() throws IOException {
        try (Stream<Path> files = Files.walk(server.dataDir().resolve("cache-shared").resolve("php"))) {
            return files.filter(path -> path.endsWith(Path.of("bin", "php")) && !path.toString().contains("/.staging"))
                    .findFirst().orElseThrow(() -> new AssertionError("no published PHP layer"));
        }
    }
}
