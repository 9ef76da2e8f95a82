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
 * A Node.js app with an npm dependency pushed over SSH: `npm ci --omit=dev` from its lockfile, and its
 * CommonJS and ES module handlers run on nodejs20.x with AWS's runtime interface client.
 */
class NodePushTest {

    private static TestServer server;
    private static TestApi api;
    private static TestApp app;
    private static String firstPush;

    @BeforeAll
    static void pushTheApp() {
        server = TestServer.start();
        api = server.admin();
        app = TestApp.create(server, "nodedemo", Map.of(
                "package.json", "{\"name\": \"nodedemo\", \"version\": \"1.0.0\", \"dependencies\": {\"is-number\": \"7.0.0\"}}\n",
                "index.js", """
                        const isNumber = require('is-number');
                        exports.handler = async (event, context) => {
                          console.log('checking', event.value);
                          return { number: isNumber(event.value), function: context.functionName };
                        };
                        """,
                "esm.mjs", "export const handler = async (event) => ({ esm: true, node: process.versions.node.split('.')[0] });\n",
                "fail.js", "exports.handler = async () => { throw new TypeError('width must be positive'); };\n",
                "Procfile", "web: index.handler\nesm: esm.handler\nfail: fail.handler\n"));
        app.commit(Map.of("package-lock.json", app.writtenBy("package-lock.json", "npm", "install", "--package-lock-only",
                "--no-audit", "--no-fund")), "package-lock.json, as npm writes it");
        firstPush = app.pushAccepted();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void thePushInstallsFromTheLockfile() {
        assertTrue(firstPush.contains("remote: -----> Node.js app detected"), firstPush);
        assertTrue(firstPush.contains("remote: -----> Runtime nodejs20.x"), firstPush);
        assertTrue(firstPush.contains("remote: -----> Installing dependencies with npm ci (from package-lock.json)"), firstPush);
    }

    @Test
    void commonJsAndEsModuleHandlersRunWithTheirDependencies() {
        TestApi.Response web = api.post("/api/v1/apps/nodedemo/functions/web/invoke", "{\"value\":\"42\"}");
        assertEquals(200, web.status(), web.body());
        assertTrue(web.json().get("number").asBoolean(), web.body());
        assertEquals("nodedemo-web", web.json().get("function").asText());
        assertTrue(api.get("/api/v1/apps/nodedemo/functions/web/logs").body().contains("checking 42"));
        TestApi.Response esm = api.post("/api/v1/apps/nodedemo/functions/esm/invoke", "{}");
        assertTrue(esm.json().get("esm").asBoolean(), esm.body());
        assertEquals("20", esm.json().get("node").asText(), esm.body());
    }

    @Test
    void aThrownErrorIsLambdasErrorDocument() {
        TestApi.Response failed = api.post("/api/v1/apps/nodedemo/functions/fail/invoke", "{}");
        assertEquals(200, failed.status());
        assertEquals("TypeError", failed.json().get("errorType").asText(), failed.body());
        assertEquals("width must be positive", failed.json().get("errorMessage").asText());
    }

    @Test
    void anAppWithoutLockfileBuildsWithAWarningAndWithoutProcfileGetsItsIndexHandler() {
        TestApp unlocked = TestApp.create(server, "nolock", Map.of(
                "package.json", "{\"name\": \"nolock\", \"dependencies\": {\"is-number\": \"7.0.0\"}}\n",
                "index.js", "const isNumber = require('is-number');\nexports.handler = async (e) => isNumber(e.value);\n"));
        String push = unlocked.pushAccepted();
        assertTrue(push.contains("remote: -----> Warning: no package-lock.json"), push);
        assertTrue(push.contains("remote: -----> No Procfile: using web: index.handler"), push);
        assertEquals("true", api.post("/api/v1/apps/nolock/functions/web/invoke", "{\"value\":5}").body());
    }

    @Test
    void aSecondPushCopiesTheCachedModulesAndAMissingPackageFailsThePush() {
        PushTests.assertSameArtifactOnAWarmCache(api, app, "nodedemo");
        app.commit(Map.of("extra.js", "module.exports = 1;\n"), "one more file");
        String second = app.pushAccepted();
        assertTrue(second.contains("remote: -----> Using cached node_modules (package-lock.json unchanged)"),
                second);

        app.commit(Map.of("package.json", "{\"name\": \"nodedemo\", \"dependencies\": {\"laambda-no-such-package-xyz\": \"1.0.0\"}}\n",
                "package-lock.json", "{\"name\": \"nodedemo\", \"lockfileVersion\": 3, \"requires\": true, \"packages\": {\"\": "
                        + "{\"name\": \"nodedemo\", \"dependencies\": {\"laambda-no-such-package-xyz\": \"1.0.0\"}}, "
                        + "\"node_modules/laambda-no-such-package-xyz\": {\"version\": \"1.0.0\"}}}\n"), "a package that does not exist");
        TestGit.Result broken = app.push();
        assertFalse(broken.ok(), broken.output());
        assertTrue(broken.output().contains("remote: !"), broken.output());
        assertEquals(200, api.post("/api/v1/apps/nodedemo/functions/web/invoke", "{\"value\":1}").status(), "still live");
    }
}
