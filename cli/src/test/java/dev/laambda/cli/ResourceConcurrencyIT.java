package dev.laambda.cli;

import dev.laambda.ServerConfig;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `laambda resource:concurrency` as a person uses it: a resources release, shown, cleared, rolled back, refused. */
class ResourceConcurrencyIT {

    private static TestServer server;
    private static CliJar laambda;
    private static Path home;

    @BeforeAll
    static void pushAnApp() throws Exception {
        server = TestServer.start(Map.of(ServerConfig.BUILDER, "local", ServerConfig.INSTANCES, "process"));
        TestApp.create(server, "queue", Map.of("work.py", "def handler(event, context):\n    return 1\n",
                "Procfile", "worker: work.handler\nweb: work.handler\n")).pushAccepted();
        home = Files.createTempDirectory("cli-home");
        laambda = new CliJar(home, Map.of());
        ok(laambda.run(home, "login", "--server", server.url(), "--token", server.adminToken()), "Logged in");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void reservingConcurrencyIsAReleaseShownInFunctionsClearedAndRestoredByARollback() {
        CliJar.Result set = ok(laambda.run(home, "resource:concurrency", "worker", "3", "-a", "queue"),
                "Setting worker concurrency to 3... done, v");
        String setVersion = set.out().substring(set.out().lastIndexOf(" v") + 1).strip();

        CliJar.Result functions = ok(laambda.run(home, "functions", "-a", "queue"), "CONCURRENCY");
        assertTrue(row(functions, "worker").matches(".* 3 +Active .*"), functions.out());
        assertTrue(row(functions, "web").matches(".* default +Active .*"), functions.out());
        ok(laambda.run(home, "releases", "-a", "queue"), setVersion + "  Set worker concurrency to 3");
        ok(laambda.run(home, "releases:info", setVersion, "-a", "queue"), "concurrency 3");

        CliJar.Result json = ok(laambda.run(home, "resource:concurrency", "worker", "0", "--json", "-a", "queue"),
                "\"reserved_concurrency\": 0");
        assertTrue(json.out().contains("\"description\": \"Set worker concurrency to 0\""), json.out());
        CliJar.Result off = ok(laambda.run(home, "functions", "-a", "queue"), "0 (off)");
        assertTrue(row(off, "worker").contains("0 (off)"), off.out());

        ok(laambda.run(home, "resource:concurrency", "worker", "--clear", "-a", "queue"),
                "Resetting worker concurrency to the server default... done, v");
        assertTrue(row(ok(laambda.run(home, "functions", "-a", "queue"), "worker"), "worker").contains(" default "));

        ok(laambda.run(home, "rollback", setVersion, "-a", "queue"), "done");
        assertTrue(row(ok(laambda.run(home, "functions", "-a", "queue"), "worker"), "worker").matches(".* 3 +Active .*"),
                "the rollback restored 3");
    }

    @Test
    void badConcurrencyIsRefusedWithOneLineAndNothingIsStored() {
        int before = releaseCount();
        refused(laambda.run(home, "resource:concurrency", "worker", "many", "-a", "queue"),
                "Concurrency must be a whole number of instances, like 5 (got 'many').");
        refused(laambda.run(home, "resource:concurrency", "worker", "-a", "queue"), "or --clear");
        refused(laambda.run(home, "resource:concurrency", "worker", "2", "--clear", "-a", "queue"), "or --clear");
        refused(laambda.run(home, "resource:concurrency", "worker", "11", "-a", "queue"),
                "Reserved concurrency must be between 0 and 10 instances on this server (got 11)");
        refused(laambda.run(home, "resource:concurrency", "worker", "-1", "-a", "queue"), "(got -1)");
        refused(laambda.run(home, "resource:concurrency", "nope", "2", "-a", "queue"), "No Procfile entry 'nope'");
        assertEquals(before, releaseCount(), "no release was made");
    }

    private static int releaseCount() {
        return (int) ok(laambda.run(home, "releases", "-a", "queue"), "Releases").out().lines().skip(1).count();
    }

    private static String row(CliJar.Result table, String entry) {
        return table.out().lines().filter(line -> line.startsWith(entry + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + entry + " in " + table.out()));
    }

    private static CliJar.Result ok(CliJar.Result result, String expected) {
        assertEquals(0, result.exitCode(), result.both());
        assertTrue(result.out().contains(expected), "expected '" + expected + "' in:\n" + result.both());
        return result;
    }

    private static void refused(CliJar.Result result, String expected) {
        assertEquals(1, result.exitCode(), result.both());
        assertTrue(result.err().contains(expected), "expected '" + expected + "' in:\n" + result.both());
        List<String> lines = result.err().lines().filter(line -> !line.isBlank()).toList();
        assertTrue(lines.get(0).startsWith(" !    "), result.err());
        assertEquals(1, lines.stream().filter(line -> line.startsWith(" !    ")).count(), "one error line: " + result.err());
    }
}
