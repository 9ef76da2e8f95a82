package dev.laambda.cli;

import dev.laambda.ServerConfig;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `laambda logs --tail` in one terminal while someone calls, reconfigures, redeploys and restarts in another:
 * each line shows up as it happens, through a pipe, and the tail outlives the deploy and the restart.
 */
class LogsTailIT {

    private static TestServer server;
    private static TestApp app;

    @BeforeAll
    static void start() {
        server = TestServer.startOnHost(Map.of());
        app = TestApp.create(server, "diary", Map.of("app.py", """
                def handler(event, context):
                    print("hello", event.get("name"))
                    return {"ok": True}
                """, "requirements.txt", "", "Procfile", "web: app.handler\n"));
        app.pushAccepted();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aTailShowsEachLineAsItHappensAcrossADeployAndARestartAndStopsOnCtrlC() throws Exception {
        Path home = Files.createTempDirectory("cli-home");
        CliJar laambda = new CliJar(home, Map.of());
        assertEquals(0, laambda.run(home, "login", "--server", server.url(), "--token", server.adminToken()).exitCode());
        int port = server.laambda().httpPort();

        try (CliJar.Running tail = laambda.start(home, "logs", "--tail", "-n", "1", "-a", "diary")) {
            tail.awaitLine("", 30); // the newest line: the tail is listening
            invoke("before");
            assertTrue(tail.awaitLine("app[web]: hello before", 15).matches("\\S+ app\\[web]: hello before"));

            assertEquals(200, server.admin().patch("/api/v1/apps/diary/config", "{\"A\":\"1\"}").status());
            tail.awaitLine("laambda[api]: Release v3 created by admin@localhost (Set A config var)", 15);

            app.commit(Map.of("app.py", """
                    def handler(event, context):
                        print("second", event.get("name"))
                        return {"ok": True}
                    """, "requirements.txt", "", "Procfile", "web: app.handler\n"), "second");
            app.pushAccepted();
            tail.awaitLine("laambda[build]: -----> Python app detected", 15);
            tail.awaitLine("laambda[api]: Release v4 created by admin@localhost (Deploy ", 15);

            server = server.restart(Map.of(ServerConfig.BUILDER, "local", ServerConfig.INSTANCES, "process",
                    ServerConfig.HTTP_PORT, Integer.toString(port)));
            invoke("after-restart");
            tail.awaitLine("app[web]: second after-restart", 30);

            int exit = tail.interrupt();
            assertTrue(exit == 130 || exit == 0, "stopped by Ctrl-C: " + exit);
            assertFalse(tail.err().contains("Exception"), tail.err());
        }
    }

    private static void invoke(String name) {
        assertEquals(200, server.admin().post("/api/v1/apps/diary/functions/web/invoke", "{\"name\":\"" + name + "\"}")
                .status());
    }
}
