package dev.laambda.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliConfigTest {

    private static final String ALICE = "{\"id\": 1, \"email\": \"alice@example.com\", \"is_admin\": false}";

    @TempDir
    Path home;

    @Test
    void aStoredLoginReadsBackAndOnlyItsOwnerCanReadIt() throws Exception {
        CliConfig config = new CliConfig(home.resolve(".laambda"), new Json());

        config.write(new Login("http://laambda.example.com:5000", "lmb_first"));
        config.write(new Login("http://laambda.example.com:5000", "lmb_second"));

        assertEquals(Optional.of(new Login("http://laambda.example.com:5000", "lmb_second")), config.read());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.file())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(".laambda"))));
        try (var files = Files.list(home.resolve(".laambda"))) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void theConfigLivesUnderHomeFromTheEnvironment() {
        assertEquals(home.resolve(".laambda"), CliConfig.defaultDir(Map.of("HOME", home.toString())));
    }

    @Test
    void loginVerifiesTheTokenThenStoresServerAndToken() throws Exception {
        try (TinyHttpServer server = TinyHttpServer.answering(200, ALICE)) {
            CliRun run = CliRun.run(Map.of("HOME", home.toString()), home,
                    "login", "--server", server.url() + "/", "--token", "lmb_secret");

            assertEquals(0, run.exitCode(), run.err());
            assertEquals("Logged in as alice@example.com\n", run.out());
            assertEquals("Bearer lmb_secret", server.requests().get(0).authorization());
            assertEquals("/api/v1/user", server.requests().get(0).uri());
            String stored = Files.readString(home.resolve(".laambda/config.json"));
            assertEquals("{\"server\":\"" + server.url() + "\",\"token\":\"lmb_secret\"}\n", stored);
        }
    }

    @Test
    void loginReadsTheTokenFromStandardInputAndNeverPrintsIt() throws Exception {
        try (TinyHttpServer server = TinyHttpServer.answering(200, ALICE)) {
            CliRun run = CliRun.runWithInput("lmb_typed\n", Map.of("HOME", home.toString()), home,
                    "login", "--server", server.url());

            assertEquals(0, run.exitCode(), run.err());
            assertEquals("Token: ", run.err());
            assertEquals("Bearer lmb_typed", server.requests().get(0).authorization());
            assertFalse(run.out().contains("lmb_typed"));
        }
    }

    @Test
    void aRefusedTokenIsNotStored() throws Exception {
        String refused = "{\"error\": \"This API token is not valid: log in again.\", \"code\": \"unauthorized\"}";
        try (TinyHttpServer server = TinyHttpServer.answering(401, refused)) {
            CliRun run = CliRun.run(Map.of("HOME", home.toString()), home,
                    "login", "--server", server.url(), "--token", "lmb_wrong");

            assertEquals(1, run.exitCode());
            assertEquals(" !    This API token is not valid: log in again.\n", run.err());
            assertFalse(Files.exists(home.resolve(".laambda/config.json")));
        }
    }

    @Test
    void aBrokenConfigFileIsNamedAndLoggingInAgainReplacesIt() throws Exception {
        Files.createDirectories(home.resolve(".laambda"));
        Files.writeString(home.resolve(".laambda/config.json"), "{not json");

        CliRun broken = CliRun.run(Map.of("HOME", home.toString()), home, "whoami");

        assertEquals(1, broken.exitCode());
        assertEquals(" !    Cannot read " + home.resolve(".laambda/config.json")
                + ": it is not valid JSON. Run 'laambda login' again.\n", broken.err());
        try (TinyHttpServer server = TinyHttpServer.answering(200, ALICE)) {
            CliRun login = CliRun.run(Map.of("HOME", home.toString(), "LAAMBDA_SERVER", server.url()), home,
                    "login", "--token", "lmb_new");

            assertEquals(0, login.exitCode(), login.err());
            assertEquals(Optional.of(new Login(server.url(), "lmb_new")),
                    new CliConfig(home.resolve(".laambda"), new Json()).read());
        }
    }

    @Test
    void environmentVariablesOverrideTheConfigFile() throws Exception {
        new CliConfig(home.resolve(".laambda"), new Json()).write(new Login("http://127.0.0.1:1", "lmb_stored"));
        try (TinyHttpServer server = TinyHttpServer.answering(200, ALICE)) {
            CliRun run = CliRun.run(Map.of("HOME", home.toString(), "LAAMBDA_SERVER", server.url(),
                    "LAAMBDA_TOKEN", "lmb_from_env"), home, "whoami");

            assertEquals(0, run.exitCode(), run.err());
            assertEquals("alice@example.com\n", run.out());
            assertEquals("Bearer lmb_from_env", server.requests().get(0).authorization());
        }
    }

    @Test
    void withoutATokenTheCliSaysHowToLogIn() {
        CliRun run = CliRun.run(Map.of("HOME", home.toString()), home, "apps");

        assertEquals(1, run.exitCode());
        assertEquals(" !    Not logged in: run 'laambda login --server URL'.\n", run.err());
    }

    @Test
    void theLoginNeverShowsItsTokenWhenPrinted() {
        assertTrue(new Login("http://x", "lmb_secret").toString().contains("(hidden)"));
        assertFalse(new Login("http://x", "lmb_secret").toString().contains("lmb_secret"));
    }
}
