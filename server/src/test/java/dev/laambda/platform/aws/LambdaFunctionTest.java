package dev.laambda.platform.aws;

import dev.laambda.LaambdaException;
import dev.laambda.platform.aws.LambdaFunction.Configuration;
import dev.laambda.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.State;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One function's life on Lambda (moto's, Docker-less), through the real SDK: create, change, publish, alias, URL, delete. */
class LambdaFunctionTest {

    private static final String REGION = "eu-west-1";

    private static MotoServer moto;
    private static AwsClients aws;
    private static LambdaClient lambda;
    private RoleArn role;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
        aws = moto.aws();
        lambda = aws.lambda(REGION);
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    /** moto's Lambda refuses a role its IAM does not have, as Lambda refuses one it cannot assume. */
    @BeforeEach
    void freshAccountWithARole() {
        moto.reset();
        role = RoleArn.parse(aws.iam("us-east-1").createRole(create -> create.roleName("lambda")
                .assumeRolePolicyDocument(MotoServer.LAMBDA_TRUST)).role().arn());
    }

    @Test
    void aFunctionIsCreatedFromItsZipWithItsConfigurationAndTags() {
        byte[] zip = handlerZip("hello");
        LambdaFunction function = new LambdaFunction(lambda, "thumbs-create");
        assertTrue(function.current().isEmpty(), "no function yet");

        FunctionConfiguration created = function.createOrUpdateCode(zip, configuration(Map.of("A", "1"), "laambda v1"));

        FunctionConfiguration live = function.current().orElseThrow();
        assertEquals("arn:aws:lambda:eu-west-1:" + MotoServer.ACCOUNT + ":function:thumbs-create", created.functionArn());
        assertEquals(State.ACTIVE, live.state());
        assertEquals(LastUpdateStatus.SUCCESSFUL, live.lastUpdateStatus());
        assertEquals("app.handler", live.handler());
        assertEquals("python3.13", live.runtimeAsString());
        assertEquals(128, live.memorySize());
        assertEquals(30, live.timeout());
        assertEquals(role.arn(), live.role());
        assertEquals(Map.of("A", "1"), live.environment().variables());
        assertEquals("laambda v1", live.description());
        assertEquals(sha256(zip), live.codeSha256(), "Lambda holds exactly the zip sent");
        assertEquals(Map.of("laambda:app", "thumbs", "laambda:entry", "create", "laambda:release", "v1"),
                lambda.listTags(list -> list.resource(created.functionArn())).tags());
    }

    @Test
    void newCodeAndConfigurationReplaceTheOldWhileEachVersionKeepsWhatItWasPublishedWith() {
        LambdaFunction function = new LambdaFunction(lambda, "thumbs-create");
        byte[] first = handlerZip("first");
        function.createOrUpdateCode(first, configuration(Map.of("A", "1"), "laambda v1"));
        String v1 = function.publishVersion("laambda v1");

        byte[] second = handlerZip("second");
        function.createOrUpdateCode(second, configuration(Map.of("A", "1"), "laambda v1"));
        Configuration changed = new Configuration("app.other", "python3.12", 256, 60, role, Map.of("A", "2", "B", "x"),
                "laambda v2", Map.of("laambda:release", "v2"));
        FunctionConfiguration updated = function.updateConfiguration(changed);
        String v2 = function.publishVersion("laambda v2");

        assertEquals(LastUpdateStatus.SUCCESSFUL, updated.lastUpdateStatus());
        assertNotEquals(v1, v2);
        FunctionConfiguration one = version(function, v1);
        FunctionConfiguration two = version(function, v2);
        assertEquals(sha256(first), one.codeSha256());
        assertEquals(Map.of("A", "1"), one.environment().variables());
        assertEquals("app.handler", one.handler());
        assertEquals(sha256(second), two.codeSha256());
        assertEquals(Map.of("A", "2", "B", "x"), two.environment().variables());
        assertEquals("app.other", two.handler());
        assertEquals("python3.12", two.runtimeAsString());
        assertEquals(256, two.memorySize());
        assertEquals(60, two.timeout());
        assertEquals("v2", lambda.listTags(list -> list.resource(updated.functionArn())).tags().get("laambda:release"));
        assertEquals(java.util.List.of(v1 + " laambda v1 " + sha256(first), v2 + " laambda v2 " + sha256(second)),
                function.publishedVersions().stream().map(v -> v.version() + " " + v.description() + " " + v.codeSha256())
                        .toList());
    }

    @Test
    void theLiveAliasMovesToANewVersionAndBackSayingWhereItWas() {
        LambdaFunction function = new LambdaFunction(lambda, "thumbs-create");
        function.createOrUpdateCode(handlerZip("first"), configuration(Map.of(), "laambda v1"));
        String v1 = function.publishVersion("laambda v1");
        function.updateConfiguration(configuration(Map.of("A", "1"), "laambda v2"));
        String v2 = function.publishVersion("laambda v2");

        assertEquals(Optional.empty(), function.moveAlias("live", v1), "a new alias was nowhere before");
        assertEquals(v1, aliasVersion("thumbs-create", "live"));
        assertEquals(Optional.of(v1), function.moveAlias("live", v2));
        assertEquals(v2, aliasVersion("thumbs-create", "live"));
        assertEquals(Optional.of(v2), function.moveAlias("live", v1), "moving back reports the version it leaves");
        assertEquals(v1, aliasVersion("thumbs-create", "live"));
        assertEquals(Optional.of(v1), function.moveAlias("live", v1), "an alias already there stays");
    }

    @Test
    void theWebFunctionGetsOneUrlOnItsAliasWhoseAuthTypeCanChange() {
        LambdaFunction function = new LambdaFunction(lambda, "thumbs-web");
        function.createOrUpdateCode(handlerZip("web"), configuration(Map.of(), "laambda v1"));
        function.moveAlias("live", function.publishVersion("laambda v1"));

        String url = function.ensureFunctionUrl("live", FunctionUrlAuthType.AWS_IAM);
        assertTrue(url.matches("https://[a-z0-9]+\\.lambda-url\\.eu-west-1\\.on\\.aws/?"), url);
        assertEquals(FunctionUrlAuthType.AWS_IAM, urlAuthType("thumbs-web"));
        assertEquals(url, function.ensureFunctionUrl("live", FunctionUrlAuthType.AWS_IAM), "one URL, kept");

        assertEquals(url, function.ensureFunctionUrl("live", FunctionUrlAuthType.NONE));
        assertEquals(FunctionUrlAuthType.NONE, urlAuthType("thumbs-web"));
        String policy = lambda.getPolicy(get -> get.functionName("thumbs-web").qualifier("live")).policy();
        assertTrue(policy.contains("laambda-function-url-public") && policy.contains("lambda:InvokeFunctionUrl"), policy);
        assertEquals(url, function.ensureFunctionUrl("live", FunctionUrlAuthType.NONE), "allowing twice is no error");

        assertEquals(url, function.ensureFunctionUrl("live", FunctionUrlAuthType.AWS_IAM));
        assertEquals(FunctionUrlAuthType.AWS_IAM, urlAuthType("thumbs-web"));
        String closed = policyOf("thumbs-web", "live");
        assertFalse(closed.contains("laambda-function-url-public"), "no longer open to anyone: " + closed);
    }

    @Test
    void aDeletedFunctionIsGoneAndDeletingItAgainIsNoError() {
        LambdaFunction function = new LambdaFunction(lambda, "thumbs-resize");
        function.createOrUpdateCode(handlerZip("resize"), configuration(Map.of(), "laambda v1"));
        function.moveAlias("live", function.publishVersion("laambda v1"));

        assertTrue(function.delete());
        assertTrue(function.current().isEmpty());
        assertTrue(lambda.listFunctions().functions().stream().noneMatch(f -> f.functionName().equals("thumbs-resize")));
        assertFalse(function.delete(), "nothing left to delete");
    }

    @Test
    void aRoleLambdaCannotAssumeIsRefusedInOneLineNamingTheFunctionAndAwsCode() {
        LambdaFunction function = new LambdaFunction(lambda, "thumbs-create");
        Configuration noSuchRole = new Configuration("app.handler", "python3.13", 128, 30,
                RoleArn.parse("arn:aws:iam::" + MotoServer.ACCOUNT + ":role/deleted"), Map.of(), "laambda v1", Map.of());

        LaambdaException e = assertThrows(LaambdaException.class, () -> function.createOrUpdateCode(handlerZip("x"), noSuchRole));

        assertEquals("aws_error", e.code());
        assertEquals("CreateFunction of thumbs-create failed: InvalidParameterValueException "
                + "(The role defined for the function cannot be assumed by Lambda.)", e.getMessage());
        assertTrue(function.current().isEmpty(), "nothing was created");
    }

    @Test
    void anUpdateLambdaReportsFailedIsAnErrorWithLambdasReason() {
        try (FakeAwsEndpoint failing = FakeAwsEndpoint.lambdaWhoseUpdatesFail("thumbs-create");
             AwsClients clients = new AwsClients(Optional.of(failing.endpoint()), moto.credentials(), 3)) {
            LambdaFunction function = new LambdaFunction(clients.lambda(REGION), "thumbs-create");

            LaambdaException e = assertThrows(LaambdaException.class,
                    () -> function.createOrUpdateCode(handlerZip("x"), configuration(Map.of(), "laambda v2")));

            assertEquals("aws_function_not_ready", e.code());
            assertEquals("Lambda function thumbs-create did not become ready: State=Active LastUpdateStatus=Failed "
                    + "(Lambda was unable to create an ENI: no free IP addresses in subnet-0abc)", e.getMessage());
        }
    }

    @Test
    void throttlingIsRetriedWithBackoffThenReportedWithAwsCode() {
        try (FakeAwsEndpoint throttling = FakeAwsEndpoint.throttlingLambda();
             AwsClients throttled = new AwsClients(Optional.of(throttling.endpoint()), moto.credentials(), 3)) {
            LambdaFunction function = new LambdaFunction(throttled.lambda(REGION), "thumbs-create");

            LaambdaException e = assertThrows(LaambdaException.class, () -> function.moveAlias("live", "2"));

            // The waits between them are the SDK's throttling backoff, with full jitter: not measurable here.
            assertEquals(3, throttling.requests(), "the first attempt and two retries");
            assertEquals("aws_throttled", e.code());
            assertEquals(LaambdaException.Kind.TOO_MANY_REQUESTS, e.kind());
            assertEquals("GetAlias of thumbs-create failed: TooManyRequestsException (Rate exceeded), "
                    + "still throttled after 3 attempts", e.getMessage());
        }
    }

    @Test
    void anAwsEndpointNothingAnswersOnIsReportedAsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (AwsClients unreachable = new AwsClients(Optional.of(URI.create("http://127.0.0.1:" + closedPort)),
                moto.credentials(), 2)) {
            LaambdaException e = assertThrows(LaambdaException.class,
                    () -> new LambdaFunction(unreachable.lambda(REGION), "thumbs-create").current());
            assertEquals("aws_unavailable", e.code());
            assertTrue(e.getMessage().startsWith("GetFunction of thumbs-create failed: AWS could not be reached ("),
                    e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void withoutCredentialsTheErrorSaysHowToGiveTheServerSome() {
        // A provider chain that finds nothing, as the SDK's default one does on a machine without credentials.
        AwsCredentialsProviderChain nothing = AwsCredentialsProviderChain.of(ProfileCredentialsProvider.builder()
                .profileFile(file -> file.content("").type(ProfileFile.Type.CREDENTIALS)).profileName("none").build());
        try (AwsClients anonymous = new AwsClients(Optional.of(moto.endpoint()), nothing, 2)) {
            LaambdaException e = assertThrows(LaambdaException.class,
                    () -> new LambdaFunction(anonymous.lambda(REGION), "thumbs-create").current());
            assertEquals("aws_no_credentials", e.code());
            assertEquals("GetFunction of thumbs-create failed: the server has no AWS credentials (set AWS_ACCESS_KEY_ID "
                    + "and AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or run it with an instance or container role)", e.getMessage());
        }
    }

    private Configuration configuration(Map<String, String> environment, String description) {
        return new Configuration("app.handler", "python3.13", 128, 30, role, environment, description,
                Map.of("laambda:app", "thumbs", "laambda:entry", "create", "laambda:release", description.substring(8)));
    }

    private static FunctionConfiguration version(LambdaFunction function, String version) {
        return lambda.getFunction(get -> get.functionName(function.name()).qualifier(version)).configuration();
    }

    private static String aliasVersion(String function, String alias) {
        return lambda.getAlias(get -> get.functionName(function).name(alias)).functionVersion();
    }

    private static FunctionUrlAuthType urlAuthType(String function) {
        return lambda.getFunctionUrlConfig(get -> get.functionName(function).qualifier("live")).authType();
    }

    private static String policyOf(String function, String qualifier) {
        try {
            return lambda.getPolicy(get -> get.functionName(function).qualifier(qualifier)).policy();
        } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) {
            return "";
        }
    }

    /** A real deployment package: one Python module whose handler answers with {@code greeting}. */
    static byte[] handlerZip(String greeting) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("app.py"));
            zip.write(("def handler(event, context):\n    return {\"greeting\": \"" + greeting + "\"}\n")
                    .getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] data) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
