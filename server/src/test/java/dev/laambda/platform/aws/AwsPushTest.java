package dev.laambda.platform.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.ServerConfig;
import dev.laambda.testing.MotoServer;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestGit;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed app pushed over SSH to an aws app: built here, deployed to Lambda (moto's, Docker-less: an invoke
 * answers with the event it got) through the real SDK, called, reconfigured, rolled back and destroyed the
 * way a local app is.
 */
class AwsPushTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> SEED_APP = Map.of(
            "CreateThumbnail.py", "def handler(event, context):\n    return {'created': event.get('width')}\n",
            "ResizeThumbnail.py", "def handler(event, context):\n    return {'resized': True}\n",
            "requirements.txt", "",
            "Procfile", "create: CreateThumbnail.handler\nresize: ResizeThumbnail.handler\n");

    private static MotoServer moto;
    private static AwsClients aws;
    private static LambdaClient lambda;
    private static TestServer server;
    private static String role;

    @BeforeAll
    static void start() {
        moto = MotoServer.start().credentialsForServersInThisJvm();
        aws = moto.aws();
        lambda = aws.lambda("us-east-1");
        role = moto.createLambdaRole("lambda");
        server = TestServer.startOnHost(Map.of(ServerConfig.AWS_ENDPOINT, moto.endpoint().toString()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void aPushDeploysEachProcfileEntryAsALambdaFunctionWithAliasLive() throws Exception {
        TestApp app = awsApp("thumbs", SEED_APP);

        String output = app.pushAccepted();

        String arn = "arn:aws:lambda:us-east-1:" + MotoServer.ACCOUNT + ":function:";
        assertTrue(output.contains(arn + "thumbs-create:1"), output);
        assertTrue(output.contains(arn + "thumbs-resize:1"), output);
        assertTrue(output.contains("Released v2"), output);
        assertEquals(Optional.of("1"), live("thumbs-create"));
        assertEquals(Optional.of("1"), live("thumbs-resize"));
        assertEquals("CreateThumbnail.handler", lambda.getFunction(get -> get.functionName("thumbs-create")
                .qualifier("live")).configuration().handler());
        JsonNode formation = server.admin().get("/api/v1/apps/thumbs/formation").json();
        assertEquals(arn + "thumbs-create", formation.get(0).get("arn").asText());
        assertEquals("1", formation.get(0).get("live_version").asText());

        TestApi.Response invoked = server.admin().post("/api/v1/apps/thumbs/functions/create/invoke", "{\"width\":64}");
        assertEquals(200, invoked.status());
        assertEquals(JSON.readTree("{\"width\":64}"), invoked.json(), "moto's Lambda answered with the event Laambda sent");
    }

    @Test
    void aConfigChangePublishesNewVersionsAndARollbackMovesLiveBack() {
        awsApp("config", SEED_APP).pushAccepted();
        TestApi admin = server.admin();

        assertEquals(200, admin.patch("/api/v1/apps/config/config", "{\"A\":\"1\"}").status());
        String withA = live("config-create").orElseThrow();
        assertEquals("2", withA);
        assertEquals(Map.of("A", "1"), lambda.getFunction(get -> get.functionName("config-create").qualifier("live"))
                .configuration().environment().variables());
        assertEquals("2", live("config-resize").orElseThrow());

        assertEquals(201, admin.post("/api/v1/apps/config/releases/v2/rollback", null).status());
        assertEquals(Optional.of("1"), live("config-create"), "live is back on v2's version");
        assertEquals(Optional.of("1"), live("config-resize"));
    }

    @Test
    void aRemovedEntrysFunctionIsDeletedAndARollbackRecreatesIt() {
        TestApp app = awsApp("shrink", SEED_APP);
        app.pushAccepted();
        Map<String, String> onlyCreate = new HashMap<>(SEED_APP);
        onlyCreate.put("Procfile", "create: CreateThumbnail.handler\n");
        app.commit(onlyCreate, "drop resize");
        app.pushAccepted();
        assertTrue(live("shrink-resize").isEmpty(), "the function of the removed entry is gone");

        assertEquals(201, server.admin().post("/api/v1/apps/shrink/releases/v2/rollback", null).status());
        assertTrue(live("shrink-resize").isPresent(), "the rollback recreated it");
    }

    @Test
    void whenLambdaRefusesOneFunctionThePushIsRejectedAndThePreviousReleaseStaysLive() {
        String fragileRole = moto.createLambdaRole("fragile");
        TestApp app = TestApp.createWith(server, "fragile", "{\"name\":\"fragile\",\"platform\":\"aws\",\"role_arn\":\""
                + fragileRole + "\"}", Map.of("CreateThumbnail.py", SEED_APP.get("CreateThumbnail.py"), "requirements.txt", "",
                "Procfile", "create: CreateThumbnail.handler\n"));
        app.pushAccepted();
        aws.iam("us-east-1").deleteRole(delete -> delete.roleName("fragile"));
        app.commit(SEED_APP, "add resize");

        TestGit.Result push = app.push();

        assertFalse(push.ok(), push.output());
        assertTrue(push.output().contains("role " + fragileRole + " does not exist"), push.output());
        assertEquals(2, server.admin().get("/api/v1/apps/fragile").json().get("current_release").asInt());
        assertEquals(Optional.of("1"), live("fragile-create"), "create's alias did not move");
        assertTrue(live("fragile-resize").isEmpty());
    }

    @Test
    void aConfigChangeAfterTheRoleWasDeletedIsRefusedInOneLineAndStoresNothing() {
        String doomedRole = moto.createLambdaRole("doomed-role");
        TestApp app = TestApp.createWith(server, "orphan", "{\"name\":\"orphan\",\"platform\":\"aws\",\"role_arn\":\""
                + doomedRole + "\"}", SEED_APP);
        app.pushAccepted();
        aws.iam("us-east-1").deleteRole(delete -> delete.roleName("doomed-role"));

        TestApi.Response refused = server.admin().patch("/api/v1/apps/orphan/config", "{\"A\":\"1\"}");

        assertEquals(400, refused.status(), refused.body());
        assertEquals("role_not_found", refused.json().get("code").asText());
        assertTrue(refused.json().get("error").asText().startsWith("role " + doomedRole + " does not exist"),
                refused.body());
        assertEquals(2, server.admin().get("/api/v1/apps/orphan").json().get("current_release").asInt());
        assertEquals(2, server.admin().get("/api/v1/apps/orphan/releases").json().get(0).get("version").asInt(),
                "nothing was stored");
    }

    @Test
    void anUnreachableAwsEndpointRefusesTheChangeInOneLineAndStoresNothing() throws IOException {
        awsApp("offline", SEED_APP).pushAccepted();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        server = server.restart(Map.of(ServerConfig.AWS_ENDPOINT, "http://127.0.0.1:" + closedPort));
        try {
            TestApi.Response refused = server.admin().patch("/api/v1/apps/offline/config", "{\"A\":\"1\"}");

            assertEquals(503, refused.status(), refused.body());
            assertEquals("aws_unavailable", refused.json().get("code").asText());
            assertFalse(refused.json().get("error").asText().contains("\n"));
            assertEquals(2, server.admin().get("/api/v1/apps/offline").json().get("current_release").asInt());
        } finally {
            server = server.restart(Map.of(ServerConfig.AWS_ENDPOINT, moto.endpoint().toString()));
        }
        assertTrue(server.admin().get("/api/v1/apps/offline/config").json().isEmpty(), "no config was stored");
    }

    @Test
    void theGatewayAndLambdasInvokeApiReachAnAwsAppsFunctions() throws Exception {
        TestApp app = awsApp("portal", Map.of("app.py", "def handler(event, context):\n    return {}\n",
                "requirements.txt", "", "Procfile", "web: app.handler\n"));
        app.pushAccepted();

        // The gateway routes by host name, a header Java's HTTP client will not set: curl, as a browser would.
        Process curl = new ProcessBuilder("curl", "-s", "-H", "Host: portal.localhost",
                server.url() + "/hello?name=ann").redirectErrorStream(true).start();
        String viaGateway = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> viaInvokeApi = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.url() + "/2015-03-31/functions/portal-web/invocations"))
                .header("Authorization", "Bearer " + server.adminToken())
                .POST(HttpRequest.BodyPublishers.ofString("{\"ping\":1}")).build(), HttpResponse.BodyHandlers.ofString());

        // moto echoes the event: what came back is the API Gateway v2 event the gateway built.
        JsonNode event = JSON.readTree(viaGateway);
        assertTrue(event.has("version"), viaGateway);
        assertEquals("2.0", event.get("version").asText(), viaGateway);
        assertEquals("/hello", event.get("rawPath").asText());
        assertEquals("name=ann", event.get("rawQueryString").asText());
        assertEquals(200, viaInvokeApi.statusCode(), viaInvokeApi.body());
        assertEquals("{\"ping\":1}", viaInvokeApi.body().replace(" ", ""));
        assertTrue(server.admin().get("/api/v1/apps/portal/formation").json().get(0).get("url").asText()
                .contains("lambda-url"), "the web entry has a Function URL");
    }

    @Test
    void destroyingAnAwsAppDeletesItsFunctions() {
        awsApp("doomed", SEED_APP).pushAccepted();
        assertTrue(live("doomed-create").isPresent());

        assertEquals(200, server.admin().delete("/api/v1/apps/doomed?confirm=doomed").status());

        for (String function : List.of("doomed-create", "doomed-resize")) {
            assertTrue(new LambdaFunction(lambda, function).current().isEmpty(), function + " is gone");
        }
    }

    @Test
    void addingAScheduleToAnAwsFunctionCreatesItsEventBridgeRuleAndARollbackRemovesIt() {
        awsApp("cron", SEED_APP).pushAccepted();
        TestApi admin = server.admin();
        String sources = "/api/v1/apps/cron/functions/create/event-sources";
        int before = admin.get("/api/v1/apps/cron/releases").json().get(0).get("version").asInt();

        TestApi.Response added = admin.post(sources, "{\"source\":\"schedule:rate(5 minutes)\"}");
        assertEquals(201, added.status(), added.body());

        String rule = dev.laambda.platform.EventRuleName.of("cron-create", "schedule:rate(5 minutes)");
        var events = aws.eventBridge("us-east-1");
        assertEquals("rate(5 minutes)", events.describeRule(describe -> describe.name(rule)).scheduleExpression());
        assertEquals(List.of("arn:aws:lambda:us-east-1:" + MotoServer.ACCOUNT + ":function:cron-create:live"),
                events.listTargetsByRule(list -> list.rule(rule)).targets().stream().map(t -> t.arn()).toList());
        assertEquals("schedule:rate(5 minutes)", admin.get(sources).json().get(0).get("source").asText());

        TestApi.Response rolledBack = admin.post("/api/v1/apps/cron/releases/v" + before + "/rollback", null);
        assertEquals(201, rolledBack.status(), rolledBack.body());
        assertEquals(0, admin.get(sources).json().size());
        assertTrue(events.listRules(list -> list.namePrefix("cron-")).rules().isEmpty(), "the rollback removed the rule");
    }

    private static TestApp awsApp(String name, Map<String, String> files) {
        return TestApp.createWith(server, name, "{\"name\":\"" + name + "\",\"platform\":\"aws\",\"role_arn\":\"" + role
                + "\"}", files);
    }

    private static Optional<String> live(String function) {
        return new LambdaFunction(lambda, function).aliasVersion(AwsLambdaPlatform.LIVE_ALIAS);
    }
}
