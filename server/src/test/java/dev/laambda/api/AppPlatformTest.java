package dev.laambda.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.ServerConfig;
import dev.laambda.platform.aws.AwsClients;
import dev.laambda.testing.MotoServer;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * apps:create --platform: an aws app is created only with a role IAM knows (moto's, here) and a region AWS has;
 * a local app needs neither. Every refusal is one line and stores nothing.
 */
class AppPlatformTest {

    private static final String ROLE = "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/lambda";
    private static final AtomicInteger USERS = new AtomicInteger();

    private static MotoServer moto;
    private static AwsClients iamAdmin;
    private static TestServer server;

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
        iamAdmin = moto.aws();
        moto.credentialsForServersInThisJvm();
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

    @BeforeEach
    void freshAccount() {
        moto.reset();
    }

    @Test
    void anAwsAppWithARoleIamKnowsIsCreatedAndShowsItsPlatformRegionAndRole() {
        createRoleInIam();
        TestApi ann = newUser();

        TestApi.Response created = ann.post("/api/v1/apps",
                "{\"name\":\"thumbs\",\"platform\":\"aws\",\"role_arn\":\"" + ROLE + "\",\"region\":\"eu-west-1\"}");

        assertEquals(201, created.status(), created.body());
        JsonNode info = ann.get("/api/v1/apps/thumbs").json();
        assertEquals("aws", info.get("platform").asText());
        assertEquals("eu-west-1", info.get("region").asText());
        assertEquals(ROLE, info.get("role_arn").asText());
        JsonNode listed = ann.get("/api/v1/apps").json();
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("aws", listed.get(0).get("platform").asText());
    }

    @Test
    void anAppThatNamesNoPlatformRunsLocallyAndNeedsNoRole() {
        TestApi ann = newUser();

        TestApi.Response created = ann.post("/api/v1/apps", "{\"name\":\"plain\"}");

        assertEquals(201, created.status(), created.body());
        assertEquals("local", created.json().get("platform").asText());
        assertTrue(created.json().get("role_arn").isNull(), created.body());
    }

    @Test
    void anAwsAppWithoutARoleIsRefusedSayingHowToNameOne() {
        refused(newUser(), "{\"name\":\"norole\",\"platform\":\"aws\"}", 400, "role_required",
                "An aws app needs an execution role: pass --role arn:aws:iam::ACCOUNT:role/NAME.");
    }

    @Test
    void aMalformedRoleIsRefusedOnEitherPlatformWithOneCode() {
        String expected = "invalid role ARN 'lambda-exec': expected arn:aws:iam::ACCOUNT_ID:role/NAME "
                + "(a 12-digit account; partition aws, aws-cn or aws-us-gov)";
        TestApi ann = newUser();
        refused(ann, "{\"name\":\"badrole\",\"platform\":\"aws\",\"role_arn\":\"lambda-exec\"}", 400, "invalid_role",
                expected);
        refused(ann, "{\"name\":\"badrole\",\"platform\":\"local\",\"role_arn\":\"lambda-exec\"}", 400, "invalid_role",
                expected);
    }

    @Test
    void aRoleIamDoesNotKnowIsRefused() {
        refused(newUser(), "{\"name\":\"ghost\",\"platform\":\"aws\",\"role_arn\":\"" + ROLE + "\"}", 400,
                "role_not_found", "role " + ROLE + " does not exist: create it in IAM or name another with --role");
    }

    @Test
    void aRegionAwsDoesNotHaveIsRefusedForAnAwsApp() {
        createRoleInIam();
        refused(newUser(), "{\"name\":\"moon\",\"platform\":\"aws\",\"role_arn\":\"" + ROLE
                        + "\",\"region\":\"xx-moon-1\"}", 400, "invalid_region",
                "Region 'xx-moon-1' is not an AWS region the server knows: name one like us-east-1 with --region.");
    }

    @Test
    void aPlatformLaambdaDoesNotHaveIsRefused() {
        refused(newUser(), "{\"name\":\"elsewhere\",\"platform\":\"lambda\"}", 400, "invalid_platform",
                "Platform 'lambda' is not one Laambda runs functions on: use local or aws.");
    }

    @Test
    void onAServerWhoseAppsRunOnAwsByDefaultAnAppNamingNoPlatformNeedsARole() {
        try (TestServer awsByDefault = TestServer.startOnHost(Map.of(ServerConfig.AWS_ENDPOINT,
                moto.endpoint().toString(), ServerConfig.PLATFORM, "aws"))) {
            refused(awsByDefault.admin(), "{\"name\":\"thumbs\"}", 400, "role_required",
                    "An aws app needs an execution role: pass --role arn:aws:iam::ACCOUNT:role/NAME.");

            createRoleInIam();
            TestApi.Response created = awsByDefault.admin().post("/api/v1/apps",
                    "{\"name\":\"thumbs\",\"role_arn\":\"" + ROLE + "\"}");
            assertEquals(201, created.status(), created.body());
            assertEquals("aws", created.json().get("platform").asText());
            assertEquals("us-east-1", created.json().get("region").asText());
        }
    }

    /** A new user, whose app list holds only what the test creates. */
    private static TestApi newUser() {
        return server.newUser("user" + USERS.incrementAndGet() + "@example.com");
    }

    private static void createRoleInIam() {
        iamAdmin.iam("us-east-1").createRole(role -> role.roleName("lambda").assumeRolePolicyDocument(MotoServer.LAMBDA_TRUST));
    }

    private static void refused(TestApi api, String body, int status, String code, String message) {
        TestApi.Response response = api.post("/api/v1/apps", body);
        assertEquals(status, response.status(), response.body());
        assertEquals(code, response.errorCode(), response.body());
        assertEquals(message, response.errorMessage());
        assertFalse(response.errorMessage().contains("\n"));
        assertEquals("[]", api.get("/api/v1/apps").json().toString(), "nothing stored after " + body);
    }
}
