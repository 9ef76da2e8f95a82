package dev.laambda;

import dev.laambda.logs.LogStore;
import dev.laambda.platform.PlatformKind;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigTest {

    @Test
    void defaultsNeedNoSettingsAtAll() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("HOME", "/home/ann"));
        assertEquals(Path.of("/home/ann/.laambda-server"), config.dataDir());
        assertEquals(5000, config.httpPort());
        assertTrue(config.databaseUrl().isEmpty(), "embedded PostgreSQL by default");
        assertEquals("us-east-1", config.defaultRegion());
    }

    @Test
    void buildLimitsReadAsTheyAreWritten() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("HOME", "/home/ann",
                ServerConfig.BUILD_TIMEOUT, "2m", ServerConfig.BUILD_DISK, "512m"));
        assertEquals(java.time.Duration.ofMinutes(2), config.buildLimits().time());
        assertEquals(512L << 20, config.buildLimits().diskBytes());
        assertEquals("512 MB", config.buildLimits().describeDisk());
        assertEquals(4L << 30, ServerConfig.fromEnvironment(Map.of("HOME", "/h")).buildLimits().diskBytes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(Map.of(ServerConfig.BUILD_DISK, "lots")));
        assertTrue(e.getMessage().contains("LAAMBDA_BUILD_DISK must be a size like 4g"), e.getMessage());
    }

    @Test
    void theMetricsTokenIsUnsetByDefaultAndASecretOfAtLeast16Characters() {
        assertTrue(ServerConfig.fromEnvironment(Map.of("HOME", "/h")).metricsToken().isEmpty());
        assertEquals("0123456789abcdef", ServerConfig.fromEnvironment(Map.of("HOME", "/h", ServerConfig.METRICS_TOKEN,
                " 0123456789abcdef ")).metricsToken().orElseThrow());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(Map.of("HOME", "/h", ServerConfig.METRICS_TOKEN, "short")));
        assertTrue(e.getMessage().contains("LAAMBDA_METRICS_TOKEN must be at least 16 characters"), e.getMessage());
        assertTrue(!e.getMessage().contains("short"), "the message never repeats the secret: " + e.getMessage());
    }

    @Test
    void theLogStoreIsOnUnlessTurnedOffForMeasuring() {
        assertEquals(LogStore.ON, ServerConfig.fromEnvironment(Map.of("HOME", "/h")).logStore());
        assertEquals(LogStore.OFF, ServerConfig.fromEnvironment(Map.of("HOME", "/h", ServerConfig.LOG_STORE, "off"))
                .logStore());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(Map.of("HOME", "/h", ServerConfig.LOG_STORE, "maybe")));
        assertTrue(e.getMessage().contains("LAAMBDA_LOG_STORE must be on or off (got 'maybe')"), e.getMessage());
    }

    @Test
    void theRepositoryLimitIsASizeAndDefaultsToOneGigabyte() {
        assertEquals(1L << 30, ServerConfig.fromEnvironment(Map.of("HOME", "/h")).repoLimit());
        assertEquals(200L << 20, ServerConfig.fromEnvironment(Map.of("HOME", "/h", ServerConfig.REPO_LIMIT, "200m"))
                .repoLimit());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(Map.of(ServerConfig.REPO_LIMIT, "huge")));
        assertTrue(e.getMessage().contains("LAAMBDA_REPO_LIMIT must be a size like 4g"), e.getMessage());
    }

    @Test
    void instanceMemoryIsASizeAndDefaultsToThreeQuartersOfTheMachinesMemory() {
        assertEquals(1536L << 20, ServerConfig.fromEnvironment(Map.of("HOME", "/h", ServerConfig.INSTANCE_MEMORY, "1536m"))
                .instanceMemory());
        long total = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        assertEquals(total / 4 * 3, ServerConfig.fromEnvironment(Map.of("HOME", "/h")).instanceMemory());
        IllegalArgumentException notASize = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(Map.of(ServerConfig.INSTANCE_MEMORY, "plenty")));
        assertTrue(notASize.getMessage().contains("LAAMBDA_INSTANCE_MEMORY must be a size like 4g"), notASize.getMessage());
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(Map.of(ServerConfig.INSTANCE_MEMORY, "64m")));
        assertTrue(tooSmall.getMessage().contains("LAAMBDA_INSTANCE_MEMORY must hold at least one 128 MB instance"),
                tooSmall.getMessage());
    }

    @Test
    void egressIsInternetUnlessSaidAndBuildAllowancesAreIPv4Ports() {
        ServerConfig defaults = ServerConfig.fromEnvironment(Map.of("HOME", "/h"));
        assertEquals(dev.laambda.docker.Egress.INTERNET, defaults.functionEgress());
        assertEquals(dev.laambda.docker.Egress.INTERNET, defaults.buildEgress());
        assertEquals(java.util.List.of(), defaults.buildAllowed());
        ServerConfig closed = ServerConfig.fromEnvironment(Map.of("HOME", "/h", ServerConfig.FUNCTION_EGRESS, "none",
                ServerConfig.BUILD_EGRESS, "none", ServerConfig.BUILD_ALLOW, "192.0.2.10:3141, 10.1.2.3:8080"));
        assertEquals(dev.laambda.docker.Egress.NONE, closed.functionEgress());
        assertEquals(dev.laambda.docker.Egress.NONE, closed.buildEgress());
        assertEquals(java.util.List.of("192.0.2.10:3141", "10.1.2.3:8080"), closed.buildAllowed());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.fromEnvironment(Map.of(
                ServerConfig.FUNCTION_EGRESS, "some", ServerConfig.BUILD_ALLOW, "mirror.local:3141")));
        assertTrue(e.getMessage().contains("LAAMBDA_FUNCTION_EGRESS must be internet or none"), e.getMessage());
        assertTrue(e.getMessage().contains("LAAMBDA_BUILD_ALLOW must be a comma-separated list of IPv4:port pairs"),
                e.getMessage());
        for (String bad : java.util.List.of("192.0.2.10", "256.1.1.1:80", "192.0.2.10:0", "192.0.2.10:70000", "1.2.3.4:80;x")) {
            assertThrows(IllegalArgumentException.class,
                    () -> ServerConfig.fromEnvironment(Map.of(ServerConfig.BUILD_ALLOW, bad)), bad);
        }
    }

    @Test
    void theAwsEndpointIsAwsItselfUnlessAnHttpUrlIsGiven() {
        assertTrue(ServerConfig.fromEnvironment(Map.of("HOME", "/h")).awsEndpoint().isEmpty());
        assertEquals(java.net.URI.create("http://127.0.0.1:5001"), ServerConfig.fromEnvironment(Map.of("HOME", "/h",
                ServerConfig.AWS_ENDPOINT, " http://127.0.0.1:5001 ")).awsEndpoint().orElseThrow());
        for (String bad : java.util.List.of("127.0.0.1:5001", "ftp://moto:21", "http://", "http://[::1", "http://h/?a=b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ServerConfig.fromEnvironment(Map.of(ServerConfig.AWS_ENDPOINT, bad)), bad);
            assertTrue(e.getMessage().contains("LAAMBDA_AWS_ENDPOINT must be an http:// or https:// URL like "
                    + "http://127.0.0.1:5001 (got '" + bad + "')"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void anS3BucketIsOptionalAndTakesItsOwnEndpointAndRegionElseTheServersDefaults() {
        assertTrue(ServerConfig.fromEnvironment(Map.of("HOME", "/h")).s3().isEmpty(), "artifacts on this server's disk");
        assertEquals(new ServerConfig.S3Bucket("laambda-artifacts", java.util.Optional.empty(), "eu-west-1"),
                ServerConfig.fromEnvironment(Map.of("HOME", "/h", ServerConfig.S3_BUCKET, "laambda-artifacts",
                        ServerConfig.DEFAULT_REGION, "eu-west-1")).s3().orElseThrow());
        assertEquals(new ServerConfig.S3Bucket("artifacts.example", java.util.Optional.of(
                        java.net.URI.create("http://127.0.0.1:9000")), "us-west-2"),
                ServerConfig.fromEnvironment(Map.of("HOME", "/h", ServerConfig.S3_BUCKET, "artifacts.example",
                        ServerConfig.S3_ENDPOINT, "http://127.0.0.1:9000", ServerConfig.S3_REGION, "us-west-2"))
                        .s3().orElseThrow());
        Map<Map<String, String>, String> bad = Map.of(
                Map.of(ServerConfig.S3_BUCKET, "My_Bucket"), "LAAMBDA_S3_BUCKET must be an S3 bucket name: 3-63 "
                        + "lowercase letters, digits, dots and hyphens, a letter or digit first and last, like "
                        + "laambda-artifacts (got 'My_Bucket')",
                Map.of(ServerConfig.S3_BUCKET, "b-1", ServerConfig.S3_ENDPOINT, "minio:9000"),
                "LAAMBDA_S3_ENDPOINT must be an http:// or https:// URL like http://127.0.0.1:9000 (got 'minio:9000')",
                Map.of(ServerConfig.S3_BUCKET, "b-1", ServerConfig.S3_REGION, "europe"),
                "LAAMBDA_S3_REGION must be an AWS region name like eu-west-1 (got 'europe')",
                Map.of(ServerConfig.S3_ENDPOINT, "http://127.0.0.1:9000"),
                "LAAMBDA_S3_ENDPOINT is set but LAAMBDA_S3_BUCKET is not: set the bucket too, or unset it");
        bad.forEach((env, message) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ServerConfig.fromEnvironment(env), env.toString());
            assertEquals("Invalid server settings: " + message, e.getMessage());
        });
    }

    @Test
    void aKmsKeyIsNamedByIdArnOrAliasAndItsKmsIsTheArnsRegionElseTheDefault() {
        assertTrue(ServerConfig.fromEnvironment(Map.of("HOME", "/h")).kmsKey().isEmpty(), "the master key seals config");
        assertEquals(new dev.laambda.platform.aws.KmsKey("1234abcd-12ab-34cd-56ef-1234567890ab", "eu-west-1"),
                ServerConfig.fromEnvironment(Map.of(ServerConfig.KMS_KEY_ID, " 1234abcd-12ab-34cd-56ef-1234567890ab ",
                        ServerConfig.DEFAULT_REGION, "eu-west-1")).kmsKey().orElseThrow());
        assertEquals(new dev.laambda.platform.aws.KmsKey("alias/laambda-config", "eu-central-1"),
                ServerConfig.fromEnvironment(Map.of(ServerConfig.KMS_KEY_ID, "alias/laambda-config",
                        ServerConfig.KMS_REGION, "eu-central-1")).kmsKey().orElseThrow());
        String arn = "arn:aws:kms:ap-southeast-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
        assertEquals("ap-southeast-2", ServerConfig.fromEnvironment(Map.of(ServerConfig.KMS_KEY_ID, arn)).kmsKey()
                .orElseThrow().region());
        assertEquals("us-east-1", ServerConfig.fromEnvironment(Map.of(ServerConfig.KMS_KEY_ID,
                "arn:aws:kms:us-east-1:111122223333:alias/laambda")).kmsKey().orElseThrow().region());
    }

    @Test
    void aMalformedKmsKeyOrARegionDisagreeingWithItsArnStopsTheServerInOneLine() {
        for (String bad : java.util.List.of("laambda-config", "alias/", "arn:aws:kms:eu-west-1:1234:key/x",
                "1234abcd-12ab-34cd-56ef", "alias/with space")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ServerConfig.fromEnvironment(Map.of(ServerConfig.KMS_KEY_ID, bad)), bad);
            assertTrue(e.getMessage().contains("LAAMBDA_KMS_KEY_ID must be a KMS key id, key ARN or alias/NAME like "
                    + "alias/laambda-config (got '" + bad + "')"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        IllegalArgumentException conflict = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(Map.of(ServerConfig.KMS_REGION, "eu-west-1",
                        ServerConfig.KMS_KEY_ID, "arn:aws:kms:us-east-1:111122223333:alias/laambda")));
        assertTrue(conflict.getMessage().contains("LAAMBDA_KMS_REGION is eu-west-1 but the ARN in LAAMBDA_KMS_KEY_ID "
                + "names us-east-1"), conflict.getMessage());
        IllegalArgumentException region = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(Map.of(ServerConfig.KMS_REGION, "Ireland")));
        assertTrue(region.getMessage().contains("LAAMBDA_KMS_REGION must be an AWS region name like eu-west-1 (got 'Ireland')"),
                region.getMessage());
    }

    @Test
    void aBadSettingStopsTheServerWithAMessageNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(Map.of("LAAMBDA_HTTP_PORT", "eighty")));
        assertTrue(e.getMessage().contains("LAAMBDA_HTTP_PORT"), e.getMessage());
    }

    @Test
    void everyBadSettingIsNamedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.fromEnvironment(Map.of(
                "LAAMBDA_HTTP_PORT", "70000", "DATABASE_URL", "mysql://x/y", "LAAMBDA_DEFAULT_REGION", "moon",
                "LAAMBDA_ADMIN_EMAIL", "nobody")));
        for (String setting : new String[] {"LAAMBDA_HTTP_PORT", "DATABASE_URL", "LAAMBDA_DEFAULT_REGION", "LAAMBDA_ADMIN_EMAIL"}) {
            assertTrue(e.getMessage().contains(setting), e.getMessage());
        }
    }

    @Test
    void modesReadAsTheSettingsSpellThemAndAnUnknownOneIsNamed() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("HOME", "/h", ServerConfig.INSTANCES, " process ",
                ServerConfig.BUILDER, "local"));
        assertEquals(InstanceMode.PROCESS, config.instances());
        assertEquals(BuilderMode.LOCAL, config.builder());
        ServerConfig defaults = ServerConfig.fromEnvironment(Map.of("HOME", "/h"));
        assertEquals(InstanceMode.AUTO, defaults.instances());
        assertEquals(BuilderMode.AUTO, defaults.builder());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.fromEnvironment(
                Map.of(ServerConfig.INSTANCES, "docker", ServerConfig.BUILDER, "Docker")));
        assertTrue(e.getMessage().contains("LAAMBDA_INSTANCES must be auto, container or process"), e.getMessage());
        assertTrue(e.getMessage().contains("LAAMBDA_BUILDER must be auto, docker or local"), e.getMessage());
    }

    @Test
    void newAppsRunLocallyUnlessThePlatformSettingSaysAws() {
        assertEquals(PlatformKind.LOCAL, ServerConfig.fromEnvironment(Map.of("HOME", "/h")).platform());
        assertEquals(PlatformKind.AWS, ServerConfig.fromEnvironment(Map.of("HOME", "/h", ServerConfig.PLATFORM, "aws"))
                .platform());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(Map.of("HOME", "/h", ServerConfig.PLATFORM, "lambda")));
        assertEquals("Invalid server settings: LAAMBDA_PLATFORM must be local or aws (got 'lambda')", e.getMessage());
    }
}
