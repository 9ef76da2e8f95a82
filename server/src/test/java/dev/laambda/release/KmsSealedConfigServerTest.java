package dev.laambda.release;

import dev.laambda.ServerConfig;
import dev.laambda.store.JdbcTarget;
import dev.laambda.testing.MotoServer;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real server with LAAMBDA_KMS_KEY_ID against moto's KMS: config set through the API is sealed with a KMS data
 * key, readable after a restart, and never in the clear in the database. The in-process server finds moto's
 * credentials where the AWS SDK's default chain looks first, the aws.accessKeyId and aws.secretAccessKey system
 * properties (a separate server process would get AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead). A server
 * that cannot open that config — no KMS key set, or one its KMS does not hold — refuses to start, in one line.
 */
class KmsSealedConfigServerTest {

    private static final String REGION = "eu-west-1";
    private static final String SECRET = "kms-canary-4f1d";

    private static MotoServer moto;
    private static String keyId;

    @BeforeAll
    static void startKms() {
        moto = MotoServer.start();
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try (KmsClient kms = kms()) {
            keyId = kms.createKey().keyMetadata().keyId();
        }
    }

    private static KmsClient kms() {
        return KmsClient.builder().region(Region.of(REGION)).endpointOverride(moto.endpoint())
                .credentialsProvider(moto.credentials()).build();
    }

    @AfterAll
    static void stopKms() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void configSetWithKmsIsReadableAfterARestartNeverPlaintextAndAServerThatCannotOpenItRefusesToStart() {
        Map<String, String> withKms = Map.of(ServerConfig.BUILDER, "local", ServerConfig.INSTANCES, "process",
                ServerConfig.KMS_KEY_ID, keyId, ServerConfig.KMS_REGION, REGION,
                ServerConfig.AWS_ENDPOINT, moto.endpoint().toString());
        TestServer server = TestServer.start(withKms);
        try {
            TestApi admin = server.admin();
            assertEquals(201, admin.post("/api/v1/apps", "{\"name\":\"sealed\"}").status());
            assertEquals(200, admin.patch("/api/v1/apps/sealed/config", "{\"DB_PASSWORD\":\"" + SECRET + "\"}").status());

            server = server.restart(withKms);
            TestApi.Response config = server.admin().get("/api/v1/apps/sealed/config");
            assertEquals(200, config.status(), config.body());
            assertEquals(SECRET, config.json().get("DB_PASSWORD").asText());

            List<String> keyIds = new ArrayList<>();
            for (byte[] stored : storedConfigs(server, keyIds)) {
                String bytes = new String(stored, StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains(SECRET) || bytes.contains("DB_PASSWORD"), "plaintext in the database");
            }
            assertEquals(List.of("kms:" + keyId, "kms:" + keyId), keyIds, "the initial release and the config change");
        } finally {
            server.close();
        }
        TestServer stopped = server;
        IllegalStateException withoutKms = assertThrows(IllegalStateException.class,
                () -> stopped.another(Map.of(ServerConfig.BUILDER, "local", ServerConfig.INSTANCES, "process")));
        assertEquals("This database's releases are sealed with the KMS key kms:" + keyId + ", but this server has "
                + "no LAAMBDA_KMS_KEY_ID: start it with the same LAAMBDA_KMS_KEY_ID as the servers that made them.",
                withoutKms.getMessage());

        // The same key id in another region's KMS: a key that region does not hold.
        Map<String, String> otherRegion = new java.util.HashMap<>(withKms);
        otherRegion.put(ServerConfig.KMS_REGION, "us-west-2");
        IllegalStateException keyElsewhere = assertThrows(IllegalStateException.class, () -> stopped.another(otherRegion));
        assertTrue(keyElsewhere.getMessage().startsWith("This database's releases are sealed with the KMS key kms:"
                + keyId + ", which this server (KMS key kms:" + keyId + ") cannot open ("), keyElsewhere.getMessage());
        assertTrue(keyElsewhere.getMessage().endsWith("): give it AWS credentials that may decrypt with that key."),
                keyElsewhere.getMessage());
        assertEquals(1, keyElsewhere.getMessage().lines().count());
    }

    /** Every release's stored config, oldest first; their key ids go to {@code keyIds}. */
    private static List<byte[]> storedConfigs(TestServer server, List<String> keyIds) {
        JdbcTarget target = JdbcTarget.fromDatabaseUrl(server.databaseUrl());
        List<byte[]> stored = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             PreparedStatement query = connection.prepareStatement(
                     "SELECT config_ciphertext, config_key_id FROM releases ORDER BY version");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                stored.add(rows.getBytes(1));
                keyIds.add(rows.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return stored;
    }
}
