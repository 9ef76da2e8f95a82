package dev.laambda.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileArtifactStoreTest {

    @TempDir
    Path temp;

    @Test
    void anArtifactIsStoredOnceUnderItsShaAndASecondPutStoresNothingNew() throws Exception {
        FileArtifactStore store = new FileArtifactStore(temp.resolve("artifacts"));
        PackedArtifact artifact = packedApp("app.py");
        assertFalse(store.contains(artifact.sha256()));

        StoredArtifact first = store.put(artifact);
        assertTrue(first.newlyStored());
        Path stored = temp.resolve("artifacts").resolve(artifact.sha256().substring(0, 2)).resolve(artifact.sha256() + ".zip");
        assertEquals(stored, store.localCopy(artifact.sha256()));
        assertEquals(stored.toUri().toString(), first.uri());
        assertArrayEquals(Files.readAllBytes(artifact.zip()), Files.readAllBytes(stored));
        long storedAt = Files.getLastModifiedTime(stored).toMillis();

        Thread.sleep(20);
        StoredArtifact second = store.put(artifact);
        assertFalse(second.newlyStored());
        assertEquals(first.uri(), second.uri());
        assertEquals(storedAt, Files.getLastModifiedTime(stored).toMillis(), "the stored file was not written again");
        assertEquals(List.of(stored), filesUnder(temp.resolve("artifacts")));
    }

    @Test
    void ofManyServersStoringTheSameArtifactAtOnceExactlyOneStoresIt() throws Exception {
        FileArtifactStore store = new FileArtifactStore(temp.resolve("artifacts"));
        PackedArtifact artifact = packedApp("app.py");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<StoredArtifact>> puts = IntStream.range(0, 8).mapToObj(i -> (Callable<StoredArtifact>) () -> store.put(artifact)).toList();
            long stored = 0;
            for (Future<StoredArtifact> put : pool.invokeAll(puts)) {
                stored += put.get().newlyStored() ? 1 : 0;
            }
            assertEquals(1, stored);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(store.localCopy(artifact.sha256())), filesUnder(temp.resolve("artifacts")), "no partial files left");
    }

    @Test
    void bytesThatDoNotMatchTheirShaAreNeverStoredUnderIt() throws Exception {
        FileArtifactStore store = new FileArtifactStore(temp.resolve("artifacts"));
        PackedArtifact real = packedApp("app.py");
        Path tampered = temp.resolve("tampered.zip");
        Files.write(tampered, new byte[] {'P', 'K', 0, 0});
        PackedArtifact lying = new PackedArtifact(tampered, real.sha256(), 4, 4, 1);

        assertThrows(UncheckedIOException.class, () -> store.put(lying));
        assertFalse(store.contains(real.sha256()));
        assertEquals(List.of(), filesUnder(temp.resolve("artifacts")), "no partial file is left behind");
    }

    @Test
    void aPutThatFailsHalfwayLeavesNoArtifactAndNoPartialFile() throws Exception {
        FileArtifactStore store = new FileArtifactStore(temp.resolve("artifacts"));
        PackedArtifact artifact = packedApp("app.py");
        Files.delete(artifact.zip());

        assertThrows(UncheckedIOException.class, () -> store.put(artifact));
        assertFalse(store.contains(artifact.sha256()));
        assertEquals(List.of(), filesUnder(temp.resolve("artifacts")));
    }

    @Test
    void onlyShaNamesAreAccepted() {
        FileArtifactStore store = new FileArtifactStore(temp);
        assertThrows(IllegalArgumentException.class, () -> store.localCopy("../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> store.contains("ABC"));
    }

    private PackedArtifact packedApp(String file) throws Exception {
        Path app = Files.createDirectories(temp.resolve("app"));
        Files.writeString(app.resolve(file), "def handler(event, context):\n    return 1\n");
        return new ArtifactPacker(ArtifactPacker.LAMBDA_UNZIPPED_LIMIT).pack(app, temp.resolve("packed.zip"), line -> { });
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
