package dev.laambda.platform;

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
 * A PHP app with a Composer package (from a path repository: Packagist is not reachable here) pushed over
 * SSH: Composer installs it, the build adds a minimal PHP runtime layer (php, its enabled extensions and
 * their libraries) and a Runtime API bootstrap, and handler.php functions run on provided.al2023.
 */
class PhpPushTest {

    private static TestServer server;
    private static TestApi api;
    private static TestApp app;
    private static String firstPush;

    @BeforeAll
    static void pushTheApp() {
        server = TestServer.start();
        api = server.admin();
        app = TestApp.create(server, "phpdemo", Map.of(
                "composer.json", """
                        {"name": "laambda/demo",
                         "repositories": [{"type": "path", "url": "lib/greeter", "options": {"symlink": false}},
                                          {"packagist.org": false}],
                         "require": {"laambda/greeter": "*"}}
                        """,
                "lib/greeter/composer.json", """
                        {"name": "laambda/greeter", "version": "1.0.0", "autoload": {"psr-4": {"Greeter\\\\": "src/"}}}
                        """,
                "lib/greeter/src/Greeter.php", """
                        <?php
                        namespace Greeter;

                        final class Greeter
                        {
                            public static function greet(string $name): string
                            {
                                return "hello $name";
                            }
                        }
                        """,
                "handler.php", """
                        <?php
                        return function (array $event, array $context): array {
                            echo "greeting ", $event['name'] ?? 'world', "\\n";
                            return ['greeting' => \\Greeter\\Greeter::greet($event['name'] ?? 'world'),
                                    'function' => $context['functionName'], 'mbstring' => function_exists('mb_strlen'),
                                    'php' => PHP_MAJOR_VERSION];
                        };
                        """,
                "fail.php", "<?php\nreturn function (array $event) {\n    throw new InvalidArgumentException('width must be positive');\n};\n",
                "Procfile", "web: handler.php\nfail: fail.php\nmissing: nope.php\n"));
        firstPush = app.pushAccepted();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void thePushInstallsComposerPackagesAndBuildsTheRuntimeLayer() {
        assertTrue(firstPush.contains("remote: -----> PHP app detected"), firstPush);
        assertTrue(firstPush.contains("remote: -----> Warning: no composer.lock"), firstPush);
        assertTrue(firstPush.contains("remote: -----> Installing Composer packages"), firstPush);
        assertTrue(firstPush.contains("remote: -----> Building the PHP "), firstPush);
        assertEquals("provided.al2023", api.get("/api/v1/apps/phpdemo/formation").json().get(0).get("runtime").asText());
    }

    @Test
    void aHandlerRunsWithItsPackagesAndExtensions() {
        TestApi.Response response = api.post("/api/v1/apps/phpdemo/functions/web/invoke?log=tail", "{\"name\":\"php\"}");
        assertEquals(200, response.status(), response.body());
        assertEquals("hello php", response.json().get("greeting").asText(), response.body());
        assertEquals("phpdemo-web", response.json().get("function").asText());
        assertTrue(response.json().get("mbstring").asBoolean(), "mbstring comes with the layer: " + response.body());
        assertTrue(api.get("/api/v1/apps/phpdemo/functions/web/logs").body().contains("greeting php"));
    }

    @Test
    void anExceptionIsLambdasErrorDocumentAndAMissingHandlerFileAnInitError() {
        TestApi.Response failed = api.post("/api/v1/apps/phpdemo/functions/fail/invoke", "{}");
        assertEquals(200, failed.status());
        assertEquals("InvalidArgumentException", failed.json().get("errorType").asText(), failed.body());
        assertEquals("width must be positive", failed.json().get("errorMessage").asText());

        TestApi.Response missing = api.post("/api/v1/apps/phpdemo/functions/missing/invoke", "{}");
        assertEquals("Runtime.HandlerNotFound", missing.json().get("errorType").asText(), missing.body());
        assertEquals(200, api.post("/api/v1/apps/phpdemo/functions/web/invoke", "{}").status(), "still serving");
    }

    @Test
    void aSecondPushReusesTheLayerAndTheComposerCache() {
        PushTests.assertSameArtifactOnAWarmCache(api, app, "phpdemo");
        app.commit(Map.of("extra.php", "<?php\n"), "one more file");
        String second = app.pushAccepted();
        assertTrue(second.contains("remote: -----> Using cached PHP "), second);
        assertTrue(second.contains("remote: -----> Using Composer cache"), second);
    }

    @Test
    void aComposerPackageThatDoesNotExistRejectsThePush() {
        TestApp missing = TestApp.create(server, "phpmissing", Map.of(
                "composer.json", """
                        {"name": "laambda/missing", "repositories": [{"packagist.org": false}],
                         "require": {"laambda/no-such-package": "^1.0"}}
                        """,
                "handler.php", "<?php\nreturn fn (array $event) => 1;\n"));
        TestGit.Result push = missing.push();
        assertFalse(push.ok(), push.output());
        assertTrue(push.output().contains("laambda/no-such-package"), push.output());
        assertTrue(push.output().contains("remote: !"), push.output());
        assertEquals(1, api.get("/api/v1/apps/phpmissing/releases").json().size(), "only the initial release");
    }

    @Test
    void anotherAppsFirstPushSharesTheRuntimeLayer() {
        TestApp other = TestApp.create(server, "phpother", Map.of(
                "handler.php", "<?php\nreturn fn (array $event) => ['php' => PHP_MAJOR_VERSION];\n",
                "Procfile", "web: handler.php\n"));
        String push = other.pushAccepted();
        assertTrue(push.contains("remote: -----> Using cached PHP "), push);
        assertEquals(200, api.post("/api/v1/apps/phpother/functions/web/invoke", "{}").status());
    }
}
