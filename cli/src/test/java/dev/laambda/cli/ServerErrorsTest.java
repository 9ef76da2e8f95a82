package dev.laambda.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServerErrorsTest {

    @TempDir
    Path home;

    @Test
    void theServersErrorMessageIsPrintedOnOneLineAndTheExitCodeIsOne() throws Exception {
        String error = "{\"error\": \"Config key 'bad-key' is invalid: use letters, digits and _, not starting with a digit.\","
                + " \"code\": \"invalid_config_key\"}";
        try (TinyHttpServer server = TinyHttpServer.answering(400, error)) {
            CliRun run = CliRun.run(env(server.url()), home, "config:set", "bad-key=1", "-a", "demo");

            assertEquals(1, run.exitCode());
            assertEquals(" !    Config key 'bad-key' is invalid: use letters, digits and _, not starting with a digit.\n",
                    run.err());
            assertEquals("", run.out());
        }
    }

    @Test
    void anAnswerThatIsNotALaambdaErrorIsNamedAsSuch() throws Exception {
        try (TinyHttpServer server = TinyHttpServer.answering(502, "<html>Bad Gateway</html>")) {
            CliRun run = CliRun.run(env(server.url()), home, "apps");

            assertEquals(1, run.exitCode());
            assertEquals(" !    The server at " + server.url()
                    + " answered HTTP 502 without a Laambda error message: is it a Laambda server?\n", run.err());
        }
    }

    @Test
    void anUnreachableServerIsNamed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;

        CliRun run = CliRun.run(env(url), home, "apps");

        assertEquals(1, run.exitCode());
        assertEquals(" !    Cannot reach the Laambda server at " + url + ": connection refused.\n", run.err());
    }

    @Test
    void destroyingAnAppWithoutTheConfirmationSendsNothing() throws Exception {
        try (TinyHttpServer server = TinyHttpServer.answering(200, "{\"name\": \"demo\", \"destroyed\": true}")) {
            CliRun run = CliRun.run(env(server.url()), home, "apps:destroy", "demo", "--confirm", "dmeo");

            assertEquals(1, run.exitCode());
            assertEquals(" !    This will destroy app 'demo' and its releases. Re-run with --confirm demo.\n", run.err());
            assertEquals(List.of(), server.requests());

            CliRun confirmed = CliRun.run(env(server.url()), home, "apps:destroy", "-a", "demo", "--confirm", "demo");

            assertEquals(0, confirmed.exitCode(), confirmed.err());
            assertEquals("Destroying demo (including all releases)... done\n", confirmed.out());
            assertEquals("DELETE", server.requests().get(0).method());
            assertEquals("/api/v1/apps/demo?confirm=demo", server.requests().get(0).uri());
        }
    }

    @Test
    void clearingConfigWithoutConfirmationSendsNothing() throws Exception {
        try (TinyHttpServer server = TinyHttpServer.answering(200, "{}")) {
            CliRun run = CliRun.run(env(server.url()), home, "config:clear", "-a", "demo");

            assertEquals(1, run.exitCode());
            assertEquals(" !    This will remove every config var of app 'demo'. Re-run with --confirm.\n", run.err());
            assertEquals(List.of(), server.requests());
        }
    }

    @Test
    void anUnknownCommandIsAUsageErrorWithExitCodeOne() {
        CliRun run = CliRun.run(Map.of("HOME", home.toString()), home, "confg");

        assertEquals(1, run.exitCode());
        assertEquals(" !    Unmatched argument at index 0: 'confg'", run.err().lines().findFirst().orElseThrow());
    }

    @Test
    void aTokenInAnErrorMessageIsNeverPrinted() {
        assertEquals(" !    Unknown option: '--tokn=lmb_…'", LaambdaCli.errorLine("Unknown option: '--tokn=lmb_s3cr3t'"));
    }

    private Map<String, String> env(String url) {
        return Map.of("HOME", home.toString(), "LAAMBDA_SERVER", url, "LAAMBDA_TOKEN", "lmb_test");
    }
}
