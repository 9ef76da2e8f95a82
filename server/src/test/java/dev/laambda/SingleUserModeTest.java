package dev.laambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestGit;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server whose users and apps were made while every app had its own walls, restarted with no Docker engine
 * to be found (LAAMBDA_INSTANCES and LAAMBDA_BUILDER left to auto): it does not silently run everyone's code on
 * its host, but starts single-user. Admins push and invoke; nobody else is let in or runs anything.
 */
class SingleUserModeTest {

    private static final String NO_ENGINE = "unix:///tmp/laambda-test-no-docker.sock";
    private static final Map<String, String> HELLO_APP = Map.of(
            "hello.py", "def handler(event, context):\n    return {'hello': event.get('name', 'world')}\n",
            "Procfile", "hello: hello.handler\nweb: hello.handler\n");

    private static TestServer server;
    private static TestApi admin;
    private static TestApi ann;
    private static TestGit annAtHerDesk;
    private static TestGit adminAtTheirDesk;

    @BeforeAll
    static void usersAndAppsFromBeforeThenARestartWithoutDocker() {
        // Before: every user's code may run on the host because the operator said so, explicitly.
        server = TestServer.start(Map.of(ServerConfig.INSTANCES, "process", ServerConfig.BUILDER, "local"));
        admin = server.admin();
        String annsToken = admin.post("/api/v1/users", "{\"email\":\"ann@example.com\"}").json().get("token").asText();
        ann = server.as(annsToken);
        server.newUser("bob@example.com");
        annAtHerDesk = TestGit.newDeveloper();
        assertEquals(201, ann.post("/api/v1/keys", key(annAtHerDesk)).status());
        assertEquals(201, ann.post("/api/v1/apps", "{\"name\":\"anns-app\"}").status());
        TestGit.Result annsPush = annAtHerDesk.git(annAtHerDesk.newRepo(HELLO_APP), "push", url("anns-app"), "main");
        assertTrue(annsPush.ok(), annsPush.output());
        adminAtTheirDesk = TestGit.newDeveloper();
        assertEquals(201, admin.post("/api/v1/keys", key(adminAtTheirDesk)).status());
        assertEquals(201, admin.post("/api/v1/apps", "{\"name\":\"admins-app\"}").status());
        assertEquals(201, admin.post("/api/v1/apps/admins-app/collaborators", "{\"email\":\"ann@example.com\"}").status());

        server = server.restart(Map.of(ServerConfig.INSTANCES, "auto", ServerConfig.BUILDER, "auto",
                ServerConfig.DOCKER_HOST, NO_ENGINE));
        admin = server.admin();
        ann = server.as(annsToken);
        TestGit.Result adminsPush = adminAtTheirDesk.git(adminAtTheirDesk.newRepo(HELLO_APP), "push", url("admins-app"),
                "main");
        assertTrue(adminsPush.ok(), adminsPush.output());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theServerSaysAtStartThatItIsSingleUserAndWhy() {
        assertTrue(server.console().contains("Single-user mode: only admins may push and invoke, since this server runs "
                + "without isolation between apps (no Docker engine at " + NO_ENGINE), server.console());
    }

    @Test
    void creatingAUserIsRefusedInOneLineSayingWhatToChangeAndNobodyIsCreated() {
        int users = admin.get("/api/v1/users").json().size();
        TestApi.Response created = admin.post("/api/v1/users", "{\"email\":\"carol@example.com\"}");
        assertEquals(403, created.status(), created.body());
        assertEquals("single_user_mode", created.errorCode());
        assertSingleUserRefusal(created.errorMessage());
        assertEquals(users, admin.get("/api/v1/users").json().size());
        assertFalse(admin.get("/api/v1/users").body().contains("carol@example.com"));
    }

    @Test
    void anotherAdminMayStillBeCreated() {
        TestApi.Response created = admin.post("/api/v1/users", "{\"email\":\"root2@example.com\",\"is_admin\":true}");
        assertEquals(201, created.status(), created.body());
    }

    @Test
    void makingSomeoneACollaboratorIsRefused() {
        TestApi.Response added = admin.post("/api/v1/apps/admins-app/collaborators", "{\"email\":\"bob@example.com\"}");
        assertEquals(403, added.status(), added.body());
        assertSingleUserRefusal(added.errorMessage());
        assertFalse(admin.get("/api/v1/apps/admins-app/collaborators").body().contains("bob@example.com"));
    }

    @Test
    void anExistingCollaboratorCannotInvokeThroughTheApiOrTheInvokeApi() {
        TestApi.Response invoked = ann.post("/api/v1/apps/admins-app/functions/hello/invoke", "{}");
        assertEquals(403, invoked.status(), invoked.body());
        assertSingleUserRefusal(invoked.errorMessage());
        TestApi.Response awsInvoked = ann.post("/2015-03-31/functions/admins-app-hello/invocations", "{}");
        assertEquals(403, awsInvoked.status(), awsInvoked.body());
        assertTrue(awsInvoked.body().contains("so only admins may push and invoke"), awsInvoked.body());
    }

    @Test
    void anExistingCollaboratorCannotPushAndNothingChanges() {
        int releases = admin.get("/api/v1/apps/admins-app/releases").json().size();
        Path repo = annAtHerDesk.newRepo(Map.of("hello.py", "def handler(e, c):\n    return 'mine now'\n",
                "Procfile", "hello: hello.handler\n"));
        TestGit.Result push = annAtHerDesk.git(repo, "push", url("admins-app"), "main");
        assertNotEquals(0, push.exitCode(), push.output());
        assertTrue(push.output().contains("remote: !     This server runs without isolation between apps (no Docker "
                + "engine at " + NO_ENGINE), push.output());
        assertTrue(push.output().contains("so only admins may push and invoke: start Docker (scripts/docker-engine)"),
                push.output());
        assertEquals(releases, admin.get("/api/v1/apps/admins-app/releases").json().size());
    }

    @Test
    void anExistingCollaboratorCannotSetTheEnvironmentCodeRunsWith() {
        TestApi.Response changed = ann.patch("/api/v1/apps/admins-app/config", "{\"BASH_ENV\":\"$(id)\"}");
        assertEquals(403, changed.status(), changed.body());
        assertSingleUserRefusal(changed.errorMessage());
        assertFalse(admin.get("/api/v1/apps/admins-app/config").json().has("BASH_ENV"));
    }

    @Test
    void anAdminPushesAndInvokesAsBefore() {
        TestApi.Response invoked = admin.post("/api/v1/apps/admins-app/functions/hello/invoke", "{\"name\":\"admin\"}");
        assertEquals(200, invoked.status(), invoked.body());
        assertEquals("admin", invoked.json().get("hello").asText());
    }

    @Test
    void codeANonAdminPushedBeforeTheRestartDoesNotRunOnTheHostEvenForAnAdminOrTheGateway() {
        TestApi.Response invoked = admin.post("/api/v1/apps/anns-app/functions/hello/invoke", "{}");
        assertEquals(403, invoked.status(), invoked.body());
        assertEquals("single_user_mode", invoked.errorCode());
        assertTrue(invoked.errorMessage().startsWith("App 'anns-app' holds code or config from a user who is not an "
                + "admin, and this server runs without isolation between apps"), invoked.errorMessage());
        TestApi.Response page = new TestApi(server.url(), null).get("/apps/anns-app/");
        assertEquals(403, page.status(), page.body());
        JsonNode stillThere = admin.get("/api/v1/apps/anns-app").json();
        assertEquals(2, stillThere.get("current_release").asInt(), "the app and its release are kept for later");
    }

    private static void assertSingleUserRefusal(String message) {
        assertEquals("This server runs without isolation between apps (no Docker engine at " + NO_ENGINE,
                message.substring(0, message.indexOf(NO_ENGINE) + NO_ENGINE.length()), message);
        assertTrue(message.endsWith("), so only admins may push and invoke: start Docker (scripts/docker-engine) and "
                + "restart the server, or set LAAMBDA_INSTANCES=process and LAAMBDA_BUILDER=local to allow other users "
                + "without isolation."), message);
        assertFalse(message.contains("\n"), message);
    }

    private static String key(TestGit developer) {
        return "{\"public_key\":\"" + developer.publicKey() + "\"}";
    }

    private static String url(String app) {
        return "ssh://git@127.0.0.1:" + server.laambda().sshPort() + "/" + app + ".git";
    }
}
