package dev.laambda.build;

import dev.laambda.LaambdaException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArtifactPackerTest {

    private final ArtifactPacker packer = new ArtifactPacker(ArtifactPacker.LAMBDA_UNZIPPED_LIMIT);

    @Test
    void theSameTreeGivesTheSameBytesWhateverItsTimesOrCreationOrder() throws Exception {
        Path first = tree(List.of("b.py", "a/x.py", "a/y.py"), 1_000_000L);
        Path second = tree(List.of("a/y.py", "b.py", "a/x.py"), 9_999_999_000L);
        PackedArtifact one = packer.pack(first, Files.createTempFile("one", ".zip"), line -> { });
        PackedArtifact two = packer.pack(second, Files.createTempFile("two", ".zip"), line -> { });
        assertEquals(one.sha256(), two.sha256());
        assertArrayEquals(Files.readAllBytes(one.zip()), Files.readAllBytes(two.zip()));
        Files.writeString(second.resolve("b.py"), "changed");
        assertNotEquals(one.sha256(), packer.pack(second, Files.createTempFile("three", ".zip"), line -> { }).sha256());
    }

    /** Two servers in different time zones (two JVMs, as in production) pack the same bytes. */
    @Test
    void theBytesDoNotDependOnTheServersTimeZone() throws Exception {
        Path source = tree(List.of("app.py"), 5_000L);
        assertEquals(packInJvm(source, "Asia/Tokyo"), packInJvm(source, "America/Los_Angeles"));
    }

    /** Packs {@code source} in a fresh JVM whose time zone is {@code zone}; returns the sha256 it printed. */
    private static String packInJvm(Path source, String zone) throws Exception {
        Path zip = Files.createTempFile("tz", ".zip");
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.timezone=" + zone, "-cp", System.getProperty("java.class.path"), PackOnce.class.getName(),
                source.toString(), zip.toString()).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes()).trim();
        assertEquals(0, java.waitFor(), output);
        return output.lines().reduce((a, b) -> b).orElseThrow();
    }

    /** The packer as a separate program: SOURCE_DIR ZIP_FILE, prints the sha256. */
    public static final class PackOnce {
        public static void main(String[] args) {
            System.out.println(new ArtifactPacker(ArtifactPacker.LAMBDA_UNZIPPED_LIMIT)
                    .pack(Path.of(args[0]), Path.of(args[1]), line -> { }).sha256());
        }
    }

    @Test
    void modesAreNormalisedAndExecutablesStayExecutable() throws Exception {
        Path source = tree(List.of("bootstrap", "data.txt"), 1L);
        Files.setPosixFilePermissions(source.resolve("bootstrap"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(source.resolve("data.txt"), PosixFilePermissions.fromString("rw-rw-rw-"));
        try (ZipFile zip = ZipFile.builder().setPath(packer.pack(source, Files.createTempFile("m", ".zip"), l -> { }).zip()).get()) {
            assertEquals(0755, zip.getEntry("bootstrap").getUnixMode() & 0777);
            assertEquals(0644, zip.getEntry("data.txt").getUnixMode() & 0777);
        }
    }

    @Test
    void symlinksInsideAreKeptAndOutsideOnesAreSkippedWithAMessage() throws Exception {
        Path source = tree(List.of("real.py"), 1L);
        Files.createSymbolicLink(source.resolve("alias.py"), Path.of("real.py"));
        Files.createSymbolicLink(source.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createDirectories(source.resolve(".git"));
        Files.writeString(source.resolve(".git/config"), "x");
        List<String> output = new ArrayList<>();
        try (ZipFile zip = ZipFile.builder().setPath(packer.pack(source, Files.createTempFile("s", ".zip"), output::add).zip()).get()) {
            ZipArchiveEntry alias = zip.getEntry("alias.py");
            assertTrue(alias.isUnixSymlink());
            assertEquals("real.py", new String(zip.getInputStream(alias).readAllBytes()));
            assertEquals(null, zip.getEntry("passwd"));
            assertEquals(null, zip.getEntry(".git/config"));
        }
        assertTrue(output.contains("       skipping symlink passwd -> /etc/passwd: it points outside the app"), output.toString());
    }

    @Test
    void overTheUnzippedLimitIsRefusedWithItsSizeBeforeAnythingIsWritten() throws Exception {
        Path source = tree(List.of("big.bin"), 1L);
        Files.write(source.resolve("big.bin"), new byte[3 * 1024 * 1024]);
        Path zip = Files.createTempDirectory("out").resolve("a.zip");
        LaambdaException e = assertThrows(LaambdaException.class,
                () -> new ArtifactPacker(2 * 1024 * 1024).pack(source, zip, line -> { }));
        assertEquals("artifact_too_large", e.code());
        assertTrue(e.getMessage().startsWith("Artifact is 3.0 MB unzipped; Lambda allows 2 MB"), e.getMessage());
        assertFalse(Files.exists(zip));
    }

    @Test
    void aSecondPutOfTheSameArtifactStoresNothingNew() throws Exception {
        FileArtifactStore store = new FileArtifactStore(Files.createTempDirectory("store"));
        PackedArtifact artifact = packer.pack(tree(List.of("a.py"), 1L), Files.createTempFile("p", ".zip"), l -> { });
        assertTrue(store.put(artifact));
        assertFalse(store.put(artifact));
        assertTrue(store.contains(artifact.sha256()));
        assertArrayEquals(Files.readAllBytes(artifact.zip()), Files.readAllBytes(store.localCopy(artifact.sha256())));
    }

    private static Path tree(List<String> files, long mtimeMillis) throws Exception {
        Path root = Files.createTempDirectory("tree");
        for (String name : files) {
            Path file = root.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "content of " + name);
            Files.setLastModifiedTime(file, FileTime.fromMillis(mtimeMillis));
        }
        return root;
    }
}
