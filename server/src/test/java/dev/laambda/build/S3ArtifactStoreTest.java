package dev.laambda.build;

import dev.laambda.LaambdaException;
import dev.laambda.bucket.S3Objects;
import dev.laambda.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Artifacts in a real (moto) S3 bucket, as two servers with their own caches see them. */
class S3ArtifactStoreTest {

    private static final String BUCKET = "laambda-artifacts";
    private static MotoServer moto;
    private static S3Client s3;

    @TempDir
    Path temp;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
        s3 = moto.aws().s3("us-east-1");
        s3.createBucket(create -> create.bucket(BUCKET));
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void anArtifactIsUploadedOnceWithItsChecksumAndAnotherServerDownloadsTheSameBytes() throws Exception {
        S3ArtifactStore serverA = store("a");
        S3ArtifactStore serverB = store("b");
        PackedArtifact artifact = packedApp("once");
        assertFalse(serverB.contains(artifact.sha256()));

        StoredArtifact first = serverA.put(artifact);
        StoredArtifact again = serverA.put(artifact);
        StoredArtifact fromB = serverB.put(artifact);

        assertTrue(first.newlyStored());
        assertFalse(again.newlyStored(), "the bucket holds it with this checksum: not uploaded again");
        assertFalse(fromB.newlyStored());
        assertEquals("s3://" + BUCKET + "/artifacts/" + artifact.sha256() + ".zip", first.uri());
        assertEquals(S3ArtifactStore.base64(artifact.sha256()), s3.headObject(head -> head.bucket(BUCKET)
                .key("artifacts/" + artifact.sha256() + ".zip").checksumMode(ChecksumMode.ENABLED)).checksumSHA256(),
                "S3 recorded the SHA-256 sent with the upload");
        assertTrue(serverB.contains(artifact.sha256()));
    }

    @Test
    void aServerThatNeverSawAnArtifactDownloadsItOnceIntoItsCache() throws Exception {
        PackedArtifact artifact = packedApp("download");
        store("a").put(artifact);
        S3ArtifactStore serverB = store("b");

        Path copy = serverB.localCopy(artifact.sha256());

        assertArrayEquals(Files.readAllBytes(artifact.zip()), Files.readAllBytes(copy));
        assertEquals(List.of(copy), filesUnder(temp.resolve("b")), "one whole file, no partial one");
        s3.deleteObject(delete -> delete.bucket(BUCKET).key("artifacts/" + artifact.sha256() + ".zip"));
        assertEquals(copy, serverB.localCopy(artifact.sha256()), "the cached copy, without asking S3 again");
    }

    @Test
    void anObjectChangedInTheBucketIsRefusedInOneLineAndNotCached() throws Exception {
        PackedArtifact artifact = packedApp("corrupt");
        store("a").put(artifact);
        s3.putObject(put -> put.bucket(BUCKET).key("artifacts/" + artifact.sha256() + ".zip"),
                RequestBody.fromString("not the artifact"));
        S3ArtifactStore serverB = store("b");

        LaambdaException refused = assertThrows(LaambdaException.class, () -> serverB.localCopy(artifact.sha256()));

        assertEquals("artifact_corrupt", refused.code());
        assertTrue(refused.getMessage().startsWith("The artifact s3://" + BUCKET + "/artifacts/" + artifact.sha256()
                + ".zip hashes to "), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"));
        assertEquals(List.of(), filesUnder(temp.resolve("b")), "nothing kept");
        assertTrue(store("c").put(artifact).newlyStored(), "a push stores it again: S3 does not vouch for that object");
        assertArrayEquals(Files.readAllBytes(artifact.zip()), Files.readAllBytes(store("d").localCopy(artifact.sha256())));
    }

    @Test
    void aDeletedArtifactIsGoneFromTheBucketAndThisServersCache() throws Exception {
        PackedArtifact artifact = packedApp("deleted");
        S3ArtifactStore server = store("a");
        server.put(artifact);

        server.delete(artifact.sha256());

        assertFalse(server.contains(artifact.sha256()));
        assertFalse(Files.exists(temp.resolve("a").resolve(artifact.sha256().substring(0, 2))
                .resolve(artifact.sha256() + ".zip")));
        assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(get -> get.bucket(BUCKET)
                .key("artifacts/" + artifact.sha256() + ".zip")));
        LaambdaException missing = assertThrows(LaambdaException.class, () -> store("b").localCopy(artifact.sha256()));
        assertEquals("artifact_missing", missing.code());
    }

    @Test
    void aServerWhoseBucketDoesNotExistIsRefusedInOneLine() {
        LaambdaException refused = assertThrows(LaambdaException.class, () -> new S3ArtifactStore(new S3Objects(s3, "no-such-bucket"),
                new FileArtifactStore(temp.resolve("x"))).requireBucket());

        assertEquals("S3 bucket no-such-bucket does not exist: create it, or correct LAAMBDA_S3_BUCKET",
                refused.getMessage());
    }

    private S3ArtifactStore store(String server) {
        return new S3ArtifactStore(new S3Objects(s3, BUCKET), new FileArtifactStore(temp.resolve(server))).requireBucket();
    }

    private PackedArtifact packedApp(String marker) throws Exception {
        Path app = Files.createDirectories(temp.resolve("app-" + marker));
        Files.writeString(app.resolve("app.py"), "def handler(event, context):\n    return '" + marker + "'\n");
        return new ArtifactPacker(ArtifactPacker.LAMBDA_UNZIPPED_LIMIT).pack(app, temp.resolve(marker + ".zip"), line -> { });
    }

    private static List<Path> filesUnder(Path root) throws Exception {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
