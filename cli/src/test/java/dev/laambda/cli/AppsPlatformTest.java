package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** apps:create --platform/--role/--region, and where apps and apps:info show which platform an app runs on. */
class AppsPlatformTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/lambda";
    private static final String THUMBS = "{\"name\": \"thumbs\", \"owner\": \"ann@example.com\", \"platform\": \"aws\","
            + " \"region\": \"eu-west-1\", \"role_arn\": \"" + ROLE + "\", \"runtime\": null, \"current_release\": 1,"
            + " \"git_url\": \"ssh://git@localhost:2222/thumbs.git\", \"created_at\": \"2026-11-29T10:00:00Z\"}";

    @TempDir
    Path home;

    @Test
    void createSendsThePlatformRoleRegionAndRuntimeItWasGiven() throws Exception {
        try (TinyHttpServer server = TinyHttpServer.answering(201, THUMBS)) {
            CliRun run = CliRun.run(env(server.url()), home, "apps:create", "thumbs", "--platform", "aws",
                    "--role", ROLE, "--region", "eu-west-1", "--runtime", "python3.12");

            assertEquals(0, run.exitCode(), run.err());
            assertEquals("Creating thumbs... done, v1\nssh://git@localhost:2222/thumbs.git\n", run.out());
            TinyHttpServer.Request sent = server.requests().get(0);
            assertEquals("POST /api/v1/apps", sent.method() + " " + sent.uri());
            JsonNode body = new ObjectMapper().readTree(sent.body());
            assertEquals(Map.of("name", "thumbs", "platform", "aws", "role_arn", ROLE, "region", "eu-west-1",
                    "runtime", "python3.12"), new ObjectMapper().convertValue(body, Map.class));
        }
    }

    @Test
    void createWithoutAPlatformLeavesTheChoiceToTheServer() throws Exception {
        try (TinyHttpServer server = TinyHttpServer.answering(201, THUMBS)) {
            CliRun run = CliRun.run(env(server.url()), home, "apps:create", "thumbs");

            assertEquals(0, run.exitCode(), run.err());
            assertEquals("{\"name\":\"thumbs\"}", server.requests().get(0).body());
        }
    }

    @Test
    void theServersRefusalOfAnAwsAppWithoutARoleIsOneLineAndExitCodeOne() throws Exception {
        String error = "{\"error\": \"An aws app needs an execution role: pass --role arn:aws:iam::ACCOUNT:role/NAME.\","
                + " \"code\": \"role_required\"}";
        try (TinyHttpServer server = TinyHttpServer.answering(400, error)) {
            CliRun run = CliRun.run(env(server.url()), home, "apps:create", "thumbs", "--platform", "aws");

            assertEquals(1, run.exitCode());
            assertEquals(" !    An aws app needs an execution role: pass --role arn:aws:iam::ACCOUNT:role/NAME.\n",
                    run.err());
            assertEquals("", run.out());
        }
    }

    @Test
    void aPlatformFlagWithoutAValueIsAUsageErrorAndSendsNothing() throws Exception {
        try (TinyHttpServer server = TinyHttpServer.answering(201, THUMBS)) {
            CliRun run = CliRun.run(env(server.url()), home, "apps:create", "thumbs", "--platform");

            assertEquals(1, run.exitCode());
            assertEquals(" !    Missing required parameter for option '--platform' (PLATFORM)",
                    run.err().lines().findFirst().orElseThrow());
            assertEquals(List.of(), server.requests());
        }
    }

    @Test
    void infoShowsThePlatformRegionAndRole() throws Exception {
        try (TinyHttpServer server = TinyHttpServer.answering(200, THUMBS)
                .answering("/api/v1/apps/thumbs/formation", 200, "[]")) {
            CliRun run = CliRun.run(env(server.url()), home, "apps:info", "-a", "thumbs");

            assertEquals(0, run.exitCode(), run.err());
            List<String> lines = run.out().lines().toList();
            assertEquals("=== thumbs", lines.get(0));
            assertTrue(lines.contains("Platform:        aws"), run.out());
            assertTrue(lines.contains("Region:          eu-west-1"), run.out());
            assertTrue(lines.contains("Role:            " + ROLE), run.out());
        }
    }

    @Test
    void infoOfAnAwsAppShowsEachFunctionsArnWhereLivePointsAndTheFunctionUrl() throws Exception {
        String formation = "[{\"entry\": \"create\", \"function_name\": \"thumbs-create\", \"state\": \"Active\","
                + " \"arn\": \"arn:aws:lambda:eu-west-1:123456789012:function:thumbs-create\", \"live_version\": \"3\"},"
                + " {\"entry\": \"web\", \"function_name\": \"thumbs-web\", \"state\": \"Active\","
                + " \"arn\": \"arn:aws:lambda:eu-west-1:123456789012:function:thumbs-web\", \"live_version\": \"2\","
                + " \"url\": \"https://abc.lambda-url.eu-west-1.on.aws/\"}]";
        try (TinyHttpServer server = TinyHttpServer.answering(200, THUMBS)
                .answering("/api/v1/apps/thumbs/formation", 200, formation)) {
            CliRun run = CliRun.run(env(server.url()), home, "apps:info", "-a", "thumbs");

            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("Function create: arn:aws:lambda:eu-west-1:123456789012:function:thumbs-create "
                    + "(live: version 3)"), run.out());
            assertTrue(run.out().contains("Function URL:    https://abc.lambda-url.eu-west-1.on.aws/"), run.out());
        }
    }

    @Test
    void theAppListHasAPlatformColumn() throws Exception {
        String apps = "[" + THUMBS + ", {\"name\": \"hello-world\", \"platform\": \"local\", \"region\": \"us-east-1\"}]";
        try (TinyHttpServer server = TinyHttpServer.answering(200, apps)) {
            CliRun run = CliRun.run(env(server.url()), home, "apps");

            assertEquals(0, run.exitCode(), run.err());
            assertEquals("=== Apps\nthumbs       aws    eu-west-1\nhello-world  local  us-east-1\n", run.out());
        }
    }

    private Map<String, String> env(String url) {
        return Map.of("HOME", home.toString(), "LAAMBDA_SERVER", url, "LAAMBDA_TOKEN", "lmb_test");
    }
}
