package dev.laambda.platform.aws;

import dev.laambda.LaambdaException;
import dev.laambda.build.FileArtifactStore;
import dev.laambda.build.PackedArtifact;
import dev.laambda.build.S3ArtifactStore;
import dev.laambda.platform.FunctionRef;
import dev.laambda.platform.FunctionSpec;
import dev.laambda.platform.FunctionStatus;
import dev.laambda.platform.InvokeResult;
import dev.laambda.platform.PreparedRollout;
import dev.laambda.platform.Rollout;
import dev.laambda.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Releases of the seed app (create: CreateThumbnail.handler, resize: ResizeThumbnail.handler) going live on AWS
 * Lambda — moto's, through the real SDK — in prepare → switch → finish, as GoingLive drives them.
 */
class AwsLambdaPlatformTest {

    private static final String REGION = "us-east-1";
    private static final String CODE_V1 = "1".repeat(64);
    private static final String CODE_V2 = "2".repeat(64);

    private static MotoServer moto;
    private static AwsClients aws;
    private static LambdaClient lambda;
    @TempDir
    static Path artifacts;
    private AwsLambdaPlatform platform;
    private String role;

    @BeforeAll
    static void startMoto() throws IOException {
        moto = MotoServer.start();
        aws = moto.aws();
        lambda = aws.lambda(REGION);
        store(CODE_V1, LambdaFunctionTest.handlerZip("one"));
        store(CODE_V2, LambdaFunctionTest.handlerZip("two"));
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void freshAccount() {
        moto.reset();
        role = aws.iam(REGION).createRole(create -> create.roleName("lambda")
                .assumeRolePolicyDocument(MotoServer.LAMBDA_TRUST)).role().arn();
        platform = new AwsLambdaPlatform(aws, new FileArtifactStore(artifacts), FunctionUrlAuth.AWS_IAM, "moto");
    }

    @Test
    void theSeedAppGoesLiveAsTwoFunctionsWithAliasLiveTaggedWithTheirRelease() {
        List<String> progress = new ArrayList<>();
        PreparedRollout prepared = platform.prepare(rollout(2, CODE_V1, Map.of("A", "1"), List.of(), "create", "resize"),
                progress::add);
        assertTrue(aliasOf("thumbs-create").isEmpty(), "nothing is live before the switch");

        prepared.switchLive();
        prepared.finish();

        for (String function : List.of("thumbs-create", "thumbs-resize")) {
            FunctionConfiguration live = version(function, aliasOf(function).orElseThrow());
            assertEquals("laambda v2", live.description());
            assertEquals("python3.13", live.runtimeAsString());
            assertEquals(role, live.role());
            assertEquals(Map.of("A", "1"), live.environment().variables());
            assertEquals(Map.of("laambda:app", "thumbs", "laambda:entry", function.substring(7), "laambda:release", "2"),
                    lambda.listTags(tags -> tags.resource(live.functionArn().replaceAll(":\\d+$", ""))).tags());
        }
        assertEquals("CreateThumbnail.handler", version("thumbs-create", aliasOf("thumbs-create").orElseThrow()).handler());
        assertTrue(progress.contains("       arn:aws:lambda:us-east-1:" + MotoServer.ACCOUNT + ":function:thumbs-create:1"),
                "the push shows each function's ARN: " + progress);
    }

    @Test
    void aZipOverFiftyMegabytesIsGivenToLambdaAsItsS3ObjectAndRefusedInOneLineWithoutABucket() throws Exception {
        aws.s3(REGION).createBucket(create -> create.bucket("laambda-artifacts"));
        Path large = artifacts.resolve("large.zip");
        byte[] bytes = new byte[(int) AwsLambdaPlatform.MAX_INLINE_ZIP_BYTES + 1];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(large, bytes);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        byte[] smallZip = LambdaFunctionTest.handlerZip("small");
        Path small = artifacts.resolve("small.zip");
        Files.write(small, smallZip);
        String smallSha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(smallZip));
        S3ArtifactStore s3 = new S3ArtifactStore(new dev.laambda.bucket.S3Objects(aws.s3(REGION), "laambda-artifacts"),
                new FileArtifactStore(artifacts.resolve("s3-cache")));
        s3.put(new PackedArtifact(large, sha, bytes.length, bytes.length, 1));
        s3.put(new PackedArtifact(small, smallSha, smallZip.length, smallZip.length, 1));

        AwsLambdaPlatform withBucket = new AwsLambdaPlatform(aws, s3, Optional.of(s3), FunctionUrlAuth.AWS_IAM, "moto");

        assertEquals(LambdaFunction.Code.inS3("laambda-artifacts", "artifacts/" + sha + ".zip"), withBucket.code(sha));
        assertTrue(withBucket.code(smallSha).zip() != null, "a small zip still goes in the request");
        LaambdaException refused = assertThrows(LaambdaException.class,
                () -> new AwsLambdaPlatform(aws, s3, FunctionUrlAuth.AWS_IAM, "moto").code(sha));
        assertEquals("artifact_too_large", refused.code());
        assertEquals("The artifact is 50.0 MB zipped; Lambda takes over 50 MB only from S3, and this server has no S3 "
                + "bucket: set LAAMBDA_S3_BUCKET (in the app's region) or make the app smaller.", refused.getMessage());
    }

    @Test
    void aConfigChangePublishesANewVersionAndARollbackMovesTheAliasBackWithoutPublishing() {
        goLive(rollout(2, CODE_V1, Map.of(), List.of(), "create", "resize"));
        String first = aliasOf("thumbs-create").orElseThrow();

        goLive(rollout(3, CODE_V1, Map.of("A", "1"), specs(2, CODE_V1, Map.of(), "create", "resize"), "create", "resize"));
        String second = aliasOf("thumbs-create").orElseThrow();
        assertFalse(first.equals(second), "a new version");
        assertEquals(Map.of("A", "1"), version("thumbs-create", second).environment().variables());

        int versionsBefore = versions("thumbs-create");
        goLive(rollout(4, CODE_V1, Map.of(), specs(3, CODE_V1, Map.of("A", "1"), "create", "resize"), "create", "resize"));

        assertEquals(first, aliasOf("thumbs-create").orElseThrow(), "live is back on the first version");
        assertEquals(versionsBefore, versions("thumbs-create"), "and nothing was published for it");
    }

    @Test
    void aRemovedEntrysFunctionIsDeletedAtFinishAndARollbackRecreatesIt() {
        goLive(rollout(2, CODE_V1, Map.of(), List.of(), "create", "resize"));
        PreparedRollout withoutResize = platform.prepare(rollout(3, CODE_V2, Map.of(),
                specs(2, CODE_V1, Map.of(), "create", "resize"), "create"), line -> { });
        withoutResize.switchLive();
        assertTrue(exists("thumbs-resize"), "still there until the finish");

        withoutResize.finish();
        assertFalse(exists("thumbs-resize"));

        goLive(rollout(4, CODE_V1, Map.of(), specs(3, CODE_V2, Map.of(), "create"), "create", "resize"));
        assertTrue(aliasOf("thumbs-resize").isPresent(), "the rollback brought it back, live");
    }

    @Test
    void whenOneAliasCannotMoveTheOnesThatMovedGoBackAndThePreviousReleaseStaysLive() {
        goLive(rollout(2, CODE_V1, Map.of(), List.of(), "create", "resize"));
        String createBefore = aliasOf("thumbs-create").orElseThrow();
        String resizeBefore = aliasOf("thumbs-resize").orElseThrow();
        PreparedRollout next = platform.prepare(rollout(3, CODE_V2, Map.of(),
                specs(2, CODE_V1, Map.of(), "create", "resize"), "create", "resize"), line -> { });
        // resize's function goes away behind Laambda's back, between prepare and switch.
        lambda.deleteFunction(delete -> delete.functionName("thumbs-resize"));

        LaambdaException failed = assertThrows(LaambdaException.class, next::switchLive);

        assertTrue(failed.getMessage().contains("thumbs-resize"), failed.getMessage());
        assertFalse(failed.getMessage().contains("\n"));
        assertEquals(createBefore, aliasOf("thumbs-create").orElseThrow(), "create's alias moved back");
        assertFalse(resizeBefore.isEmpty());
    }

    @Test
    void aRoleDeletedSinceTheLastReleaseIsRefusedBeforeAnyFunctionChangesAndMovesNoAlias() {
        goLive(rollout(2, CODE_V1, Map.of(), List.of(), "create"));
        String before = aliasOf("thumbs-create").orElseThrow();
        aws.iam(REGION).deleteRole(delete -> delete.roleName("lambda"));

        LaambdaException failed = assertThrows(LaambdaException.class, () -> platform.prepare(rollout(3, CODE_V2, Map.of(),
                specs(2, CODE_V1, Map.of(), "create"), "create", "resize"), line -> { }));

        assertEquals("role_not_found", failed.code());
        assertEquals(before, aliasOf("thumbs-create").orElseThrow());
        assertEquals(1, versions("thumbs-create"), "nothing was published");
        assertFalse(exists("thumbs-resize"));
    }

    @Test
    void configVarsOverLambdasFourKilobytesAreRefusedBeforeAnyCall() {
        LaambdaException refused = assertThrows(LaambdaException.class, () -> platform.prepare(
                rollout(2, CODE_V1, Map.of("BIG", "x".repeat(5000)), List.of(), "create"), line -> { }));

        assertEquals("config_too_large", refused.code());
        assertTrue(refused.getMessage().startsWith("The config vars of thumbs-create take 5003 bytes"), refused.getMessage());
        assertFalse(exists("thumbs-create"));
    }

    @Test
    void anAppWithoutARoleIsRefusedInOneLine() {
        Rollout noRole = new Rollout(1, "thumbs", Optional.empty(), 2, specs(2, CODE_V1, Map.of(), "create"), List.of());

        LaambdaException refused = assertThrows(LaambdaException.class, () -> platform.prepare(noRole, line -> { }));

        assertEquals("role_required", refused.code());
    }

    @Test
    void anInvocationGoesToTheLiveAliasAndStatusNamesTheArnAndVersion() {
        goLive(rollout(2, CODE_V1, Map.of(), List.of(), "web"));
        FunctionSpec web = specs(2, CODE_V1, Map.of(), "web").get(0);

        InvokeResult result = platform.invoke(web, "{\"width\":64}".getBytes(StandardCharsets.UTF_8), Optional.empty());
        FunctionStatus status = platform.status(new FunctionRef("thumbs-web", REGION));

        // moto's Docker-less Lambda answers with the event it was given.
        assertEquals("{\"width\":64}", new String(result.payload(), StandardCharsets.UTF_8));
        assertEquals("arn:aws:lambda:us-east-1:" + MotoServer.ACCOUNT + ":function:thumbs-web", status.arn());
        assertEquals(aliasOf("thumbs-web").orElseThrow(), status.liveVersion());
        assertTrue(status.url() != null && status.url().contains("lambda-url"), "the web entry has a Function URL");
    }

    @Test
    void removingTheAppsFunctionsDeletesThem() {
        goLive(rollout(2, CODE_V1, Map.of(), List.of(), "create", "resize"));

        platform.remove(List.of(new FunctionRef("thumbs-create", REGION), new FunctionRef("thumbs-resize", REGION)));

        assertFalse(exists("thumbs-create"));
        assertFalse(exists("thumbs-resize"));
        assertEquals("Missing", platform.status(new FunctionRef("thumbs-create", REGION)).state());
    }

    private void goLive(Rollout rollout) {
        PreparedRollout prepared = platform.prepare(rollout, line -> { });
        prepared.switchLive();
        prepared.finish();
    }

    private Rollout rollout(int version, String artifact, Map<String, String> config, List<FunctionSpec> replaced,
                            String... entries) {
        return new Rollout(1, "thumbs", Optional.of(role), version, specs(version, artifact, config, entries), replaced);
    }

    private static List<FunctionSpec> specs(int version, String artifact, Map<String, String> config, String... entries) {
        List<FunctionSpec> specs = new ArrayList<>();
        for (String entry : entries) {
            String handler = entry.equals("create") ? "CreateThumbnail.handler"
                    : entry.equals("resize") ? "ResizeThumbnail.handler" : "app.handler";
            specs.add(new FunctionSpec(1, "thumbs-" + entry, handler, "python3.13", 256, 30, artifact, version, REGION,
                    config, OptionalInt.empty()));
        }
        return specs;
    }

    private static Optional<String> aliasOf(String function) {
        return new LambdaFunction(lambda, function).aliasVersion(AwsLambdaPlatform.LIVE_ALIAS);
    }

    private static FunctionConfiguration version(String function, String version) {
        return lambda.getFunction(get -> get.functionName(function).qualifier(version)).configuration();
    }

    private static int versions(String function) {
        return new LambdaFunction(lambda, function).publishedVersions().size();
    }

    private static boolean exists(String function) {
        return new LambdaFunction(lambda, function).current().isPresent();
    }

    private static void store(String sha, byte[] zip) throws IOException {
        Path file = artifacts.resolve(sha.substring(0, 2)).resolve(sha + ".zip");
        Files.createDirectories(file.getParent());
        Files.write(file, zip);
    }
}
