package dev.laambda.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigSetArgumentsTest {

    private static final String RELEASED = """
            {"release": {"version": 2, "kind": "config", "description": "Set A, B config vars", "status": "active",
                         "created_by": "alice@example.com", "created_at": "2026-11-23T10:00:00Z", "current": true},
             "config": {"A": "x=y", "B": "", "C": "untouched"}}""";

    @TempDir
    Path home;

    @Test
    void anArgumentWithoutAnEqualsSignIsRefusedAndNothingIsSent() throws Exception {
        try (TinyHttpServer server = TinyHttpServer.answering(200, RELEASED)) {
            CliRun run = CliRun.run(env(server), home, "config:set", "A=1", "NOPE", "-a", "demo");

            assertEquals(1, run.exitCode());
            assertEquals(" !    Invalid argument 'NOPE': use KEY=VALUE.\n", run.err());
            assertEquals("", run.out());
            assertEquals(List.of(), server.requests());
        }
    }

    @Test
    void anArgumentWithAnEmptyKeyIsRefusedAndNothingIsSent() throws Exception {
        try (TinyHttpServer server = TinyHttpServer.answering(200, RELEASED)) {
            CliRun run = CliRun.run(env(server), home, "config:set", "=value", "-a", "demo");

            assertEquals(1, run.exitCode());
            assertEquals(" !    Invalid argument '=value': use KEY=VALUE.\n", run.err());
            assertEquals(List.of(), server.requests());
        }
    }

    @Test
    void valuesAreSplitAtTheFirstEqualsSignAndMayBeEmpty() throws Exception {
        try (TinyHttpServer server = TinyHttpServer.answering(200, RELEASED)) {
            CliRun run = CliRun.run(env(server), home, "config:set", "A=x=y", "B=", "-a", "demo");

            assertEquals(0, run.exitCode(), run.err());
            TinyHttpServer.Request request = server.requests().get(0);
            assertEquals("PATCH", request.method());
            assertEquals("/api/v1/apps/demo/config", request.uri());
            assertEquals("{\"A\":\"x=y\",\"B\":\"\"}", request.body());
            assertEquals("""
                    Setting A, B and restarting demo... done, v2
                    A: x=y
                    B:
                    """, run.out());
        }
    }

    @Test
    void withoutAnyArgumentPicocliPrintsOneLineAndAHintAndExitsWithOne() {
        CliRun run = CliRun.run(Map.of("HOME", home.toString()), home, "config:set", "-a", "demo");

        assertEquals(1, run.exitCode());
        assertEquals(" !    Missing required parameter: 'KEY=VALUE'", run.err().lines().findFirst().orElseThrow());
        assertTrue(run.err().contains("Try 'laambda config:set --help' for more information."), run.err());
    }

    private Map<String, String> env(TinyHttpServer server) {
        return Map.of("HOME", home.toString(), "LAAMBDA_SERVER", server.url(), "LAAMBDA_TOKEN", "lmb_test");
    }
}
