package dev.laambda.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestGit;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Go app (AWS's aws-lambda-go from the Go proxy) pushed over SSH builds into a static `bootstrap` for
 * provided.al2023, and each Procfile entry runs it with its own _HANDLER.
 */
class GoPushTest {

    static final String MAIN_GO = """
            package main

            import (
            \t"context"
            \t"errors"
            \t"os"

            \t"github.com/aws/aws-lambda-go/lambda"
            )

            type event struct {
            \tWidth int `json:"width"`
            }

            func create(ctx context.Context, e event) (map[string]any, error) {
            \tif e.Width < 0 {
            \t\treturn nil, errors.New("width must be positive")
            \t}
            \treturn map[string]any{"created": e.Width, "entry": os.Getenv("_HANDLER")}, nil
            }

            func main() { lambda.Start(create) }
            """;
    static final String GO_MOD = "module example.com/thumbs\n\ngo 1.22\n\nrequire github.com/aws/aws-lambda-go v1.47.0\n";

    private static TestServer server;
    private static TestApi api;
    private static TestApp app;
    private static String firstPush;

    @BeforeAll
    static void pushTheApp() {
        server = TestServer.start();
        api = server.admin();
        app = TestApp.create(server, "gothumbs", Map.of("main.go", MAIN_GO, "go.mod", GO_MOD,
                "templates/hello.txt", "hello\n", "Procfile", "create: create\nresize: resize\n"));
        app.commit(Map.of("go.sum", app.writtenBy("go.sum", "go", "mod", "tidy")), "go.sum, as `go mod tidy` writes it");
        firstPush = app.pushAccepted();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void thePushBuildsABootstrapForProvidedAl2023() {
        assertTrue(firstPush.contains("remote: -----> Go app detected"), firstPush);
        assertTrue(firstPush.contains("remote: -----> Runtime provided.al2023"), firstPush);
        assertTrue(firstPush.contains("remote: -----> Building bootstrap with go"), firstPush);
        JsonNode functions = api.get("/api/v1/apps/gothumbs/formation").json();
        assertEquals("provided.al2023", functions.get(0).get("runtime").asText());
    }

    @Test
    void eachEntryRunsTheBinaryWithItsOwnHandler() {
        TestApi.Response created = api.post("/api/v1/apps/gothumbs/functions/create/invoke", "{\"width\":64}");
        assertEquals(200, created.status(), created.body());
        assertEquals(64, created.json().get("created").asInt(), created.body());
        assertEquals("create", created.json().get("entry").asText());
        assertEquals("resize", api.post("/api/v1/apps/gothumbs/functions/resize/invoke", "{}").json().get("entry").asText());
    }

    @Test
    void aReturnedErrorIsLambdasErrorDocument() {
        TestApi.Response failed = api.post("/api/v1/apps/gothumbs/functions/create/invoke", "{\"width\":-1}");
        assertEquals(200, failed.status());
        assertEquals("width must be positive", failed.json().get("errorMessage").asText(), failed.body());
        assertEquals("errorString", failed.json().get("errorType").asText(), failed.body());
    }

    /** Dokku lambda-builder's go-nomod app: one main.go, no go.mod, no Procfile. */
    @Test
    void anAppWithoutGoModHasItsImportsResolvedAndRuns() {
        TestApp nomod = TestApp.create(server, "gonomod", Map.of("main.go", """
                package main

                import (
                \t"context"
                \t"fmt"

                \t"github.com/aws/aws-lambda-go/lambda"
                )

                type MyEvent struct {
                \tName string `json:"name"`
                }

                func HandleRequest(ctx context.Context, name MyEvent) (string, error) {
                \treturn fmt.Sprintf("Hello %s!", name.Name), nil
                }

                func main() {
                \tlambda.Start(HandleRequest)
                }
                """));
        String push = nomod.pushAccepted();
        assertTrue(push.contains("remote: -----> No go.mod: resolving imports with go mod tidy"), push);
        assertTrue(push.contains("remote: -----> No Procfile: using web: bootstrap"), push);
        TestApi.Response hello = api.post("/api/v1/apps/gonomod/functions/web/invoke", "{\"name\":\"Laambda\"}");
        assertEquals(200, hello.status(), hello.body());
        assertEquals("Hello Laambda!", hello.json().asText(), hello.body());
    }

    @Test
    void aSecondPushUsesTheCacheAndAnAppThatDoesNotCompileIsRejectedWithTheCompilerError() {
        PushTests.assertSameArtifactOnAWarmCache(api, app, "gothumbs");
        app.commit(Map.of("extra.go", "package main\n\nconst answer = 42\n"), "one more file");
        String second = app.pushAccepted();
        assertTrue(second.contains("remote: -----> Using Go cache"), second);

        app.commit(Map.of("broken.go", "package main\n\nfunc broken() int { return \"no\" }\n"), "broken");
        TestGit.Result broken = app.push();
        assertFalse(broken.ok(), broken.output());
        assertTrue(broken.output().contains("broken.go:3:"), broken.output());
        assertTrue(broken.output().contains("Go build failed: fix the errors above."), broken.output());
        app.developer().git(app.repo(), "rm", "-q", "broken.go");
        app.developer().git(app.repo(), "commit", "-qm", "fixed");
    }
}
