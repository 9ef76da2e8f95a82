package dev.laambda.build;

import dev.laambda.LaambdaException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipLong;
import org.apache.commons.compress.archivers.zip.ZipUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArtifactPackerTest {

    private final ArtifactPacker packer = new ArtifactPacker(ArtifactPacker.LAMBDA_UNZIPPED_LIMIT);

    @TempDir
    Path temp;

    @Test
    void theSameTreeGivesTheSameBytesWhateverItsTimesOrCreationOrder() throws Exception {
        Path first = tree(List.of("b.py", "a/x.py", "a/y.py"), 1_000_000L);
        Path second = tree(List.of("a/y.py", "b.py", "a/x.py"), 9_999_999_000L);
        PackedArtifact one = pack(first);
        PackedArtifact two = pack(second);
        assertEquals(one.sha256(), two.sha256());
        assertArrayEquals(Files.readAllBytes(one.zip()), Files.readAllBytes(two.zip()));
        assertEquals(one.sha256(), pack(first).sha256(), "packing the same directory twice");
        assertEquals(3, one.files());
        Files.writeString(second.resolve("b.py"), "changed");
        assertNotEquals(one.sha256(), pack(second).sha256());
    }

    /** Compressed contents kept by the packer are reused, and the bytes are the same with or without them. */
    @Test
    void aStoreOfCompressedContentsGivesTheSameBytesColdWarmOrAbsent() throws Exception {
        Path source = tree(List.of("lib/big.txt", "app.py", "same-as-app.py"), 7_000L);
        Files.writeString(source.resolve("lib/big.txt"), "laambda ".repeat(100_000));
        Files.writeString(source.resolve("same-as-app.py"), Files.readString(source.resolve("app.py")));
        Path store = temp.resolve("deflated");
        ArtifactPacker storing = new ArtifactPacker(ArtifactPacker.LAMBDA_UNZIPPED_LIMIT, java.util.Optional.of(store));

        PackedArtifact cold = storing.pack(source, temp.resolve("cold.zip"), line -> { });
        try (var kept = Files.list(store)) {
            assertEquals(2, kept.count(), "one compressed copy per distinct content");
        }
        PackedArtifact warm = storing.pack(source, temp.resolve("warm.zip"), line -> { });
        PackedArtifact none = pack(source);
        assertEquals(cold.sha256(), warm.sha256());
        assertEquals(cold.sha256(), none.sha256());
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(warm.zip().toFile())) {
            assertEquals("laambda ".repeat(100_000),
                    new String(zip.getInputStream(zip.getEntry("lib/big.txt")).readAllBytes()), "entries unzip intact");
            assertTrue(zip.getEntry("lib/big.txt").getCompressedSize() < 10_000, "and are compressed");
        }
    }

    /** Two servers in different time zones (two JVMs, as in production) pack the same bytes. */
    @Test
    void theBytesDoNotDependOnTheServersTimeZone() throws Exception {
        Path source = tree(List.of("app.py"), 5_000L);
        assertEquals(packInJvm(source, "Asia/Tokyo"), packInJvm(source, "America/Los_Angeles"));
        assertEquals(packInJvm(source, "UTC"), packInJvm(source, "Pacific/Kiritimati"));
    }

    /** Packs {@code source} in a fresh JVM whose time zone is {@code zone}; returns the sha256 it printed. */
    private String packInJvm(Path source, String zone) throws Exception {
        Path zip = Files.createTempFile(temp, "tz", ".zip");
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
    void everyEntryHasTheZipEpochAsItsTimeAndNoExtraFields() throws Exception {
        Path source = tree(List.of("app.py", "lib/util.py"), 1_700_000_000_000L);
        Files.createSymbolicLink(source.resolve("alias.py"), Path.of("app.py"));
        try (ZipFile zip = open(pack(source))) {
            for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
                assertEquals(0x210000L, ZipLong.getValue(ZipUtil.toDosTime(entry.getTime())),
                        entry.getName() + ": 1980-01-01 00:00 in DOS time");
                assertEquals(0, entry.getExtraFields().length, entry.getName() + " has extra fields");
                assertEquals(ZipArchiveEntry.PLATFORM_UNIX, entry.getPlatform());
            }
        }
    }

    @Test
    void modesAreNormalisedAndAnyExecuteBitMakesAFileExecutable() throws Exception {
        Path source = tree(List.of("bootstrap", "data.txt", "group-runs.sh"), 1L);
        Files.setPosixFilePermissions(source.resolve("bootstrap"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(source.resolve("data.txt"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(source.resolve("group-runs.sh"), PosixFilePermissions.fromString("rw-r-x---"));
        try (ZipFile zip = open(pack(source))) {
            assertEquals(0100755, zip.getEntry("bootstrap").getUnixMode());
            assertEquals(0100644, zip.getEntry("data.txt").getUnixMode());
            assertEquals(0100755, zip.getEntry("group-runs.sh").getUnixMode());
        }
    }

    /** Byte order of the UTF-8 names, as `zip` and `unzip -l` show it; Java's String order would differ here. */
    @Test
    void entriesAreSortedByTheBytesOfTheirNames() throws Exception {
        String fullwidthA = "\uFF21.py";          // UTF-8 EF BC A1
        String emoji = "\uD83D\uDE00.py";         // UTF-8 F0 9F 98 80, but first in UTF-16 order
        Path source = tree(List.of("b.py", "B.py", emoji, fullwidthA, "a/z.py", "a-b.py"), 1L);
        try (ZipFile zip = open(pack(source))) {
            List<String> names = Collections.list(zip.getEntries()).stream().map(ZipArchiveEntry::getName).toList();
            assertEquals(List.of("B.py", "a-b.py", "a/z.py", "b.py", fullwidthA, emoji), names);
        }
    }

    @Test
    void aSymlinkInsideTheAppIsStoredAsALinkRelativeToItself() throws Exception {
        Path source = tree(List.of("real.py", "lib/v2/util.py"), 1L);
        Files.createSymbolicLink(source.resolve("alias.py"), Path.of("real.py"));
        Files.createSymbolicLink(source.resolve("lib/current"), Path.of("v2"));
        Files.createSymbolicLink(source.resolve("absolute.py"), source.resolve("lib/v2/util.py").toAbsolutePath());
        try (ZipFile zip = open(pack(source))) {
            assertLink(zip, "alias.py", "real.py");
            assertLink(zip, "lib/current", "v2");
            assertLink(zip, "absolute.py", "lib/v2/util.py");
            assertEquals("content of lib/v2/util.py", read(zip, "lib/v2/util.py"));
        }
    }

    @Test
    void symlinksLeavingTheAppOrPointingNowhereAreSkippedWithAMessage() throws Exception {
        Path source = tree(List.of("app.py", ".git/config"), 1L);
        Files.createDirectories(source.resolve("src"));
        Files.createSymbolicLink(source.resolve("src/x"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(source.resolve("up"), Path.of("../.."));
        Files.createSymbolicLink(source.resolve("gone.py"), Path.of("missing.py"));
        Files.createSymbolicLink(source.resolve("git-config"), Path.of(".git/config"));
        List<String> output = new ArrayList<>();
        PackedArtifact artifact = packer.pack(source, temp.resolve("s.zip"), output::add);
        try (ZipFile zip = open(artifact)) {
            List<String> names = Collections.list(zip.getEntries()).stream().map(ZipArchiveEntry::getName).toList();
            assertEquals(List.of("app.py"), names);
        }
        assertFalse(new String(Files.readAllBytes(artifact.zip()), StandardCharsets.ISO_8859_1).contains("root:"),
                "nothing of /etc/passwd is in the zip");
        assertTrue(output.contains("       skipping symlink src/x -> /etc/passwd: it points outside the app"), output.toString());
        assertTrue(output.contains("       skipping symlink up -> ../..: it points outside the app"), output.toString());
        assertTrue(output.contains("       skipping symlink gone.py -> missing.py: it points to nothing"), output.toString());
        assertTrue(output.contains("       skipping symlink git-config -> .git/config: it points outside the app"),
                output.toString());
    }

    @Test
    void gitMetadataAtTheRootIsLeftOutButAFolderNamedGitElsewhereIsNot() throws Exception {
        Path source = tree(List.of("app.py", ".git/HEAD", ".gitignore", "vendor/.git/keep"), 1L);
        try (ZipFile zip = open(pack(source))) {
            assertNull(zip.getEntry(".git/HEAD"));
            assertTrue(zip.getEntry(".gitignore") != null);
            assertTrue(zip.getEntry("vendor/.git/keep") != null);
        }
    }

    @Test
    void overTheUnzippedLimitIsRefusedWithItsSizeBeforeAnythingIsWritten() throws Exception {
        Path source = tree(List.of("app.py"), 1L);
        Files.write(source.resolve("big.bin"), new byte[3 * 1024 * 1024 + 100 * 1024]);
        Path zip = temp.resolve("out").resolve("a.zip");
        Files.createDirectories(zip.getParent());
        LaambdaException e = assertThrows(LaambdaException.class,
                () -> new ArtifactPacker(2 * 1024 * 1024).pack(source, zip, line -> { }));
        assertEquals("artifact_too_large", e.code());
        assertEquals("Artifact is 3.1 MB unzipped; Lambda allows 2 MB: remove large files or move them to a layer or S3.",
                e.getMessage());
        assertFalse(Files.exists(zip));
    }

    @Test
    void lambdasLimitIs250MegabytesAsLambdaCountsThem() {
        assertEquals(262_144_000L, ArtifactPacker.LAMBDA_UNZIPPED_LIMIT);
        assertEquals("250 MB", ArtifactPacker.megabytes(ArtifactPacker.LAMBDA_UNZIPPED_LIMIT));
        assertEquals("262.1 MB", ArtifactPacker.megabytes(274_800_000L));
    }

    @Test
    void anArtifactOver50MegabytesZippedGoesThroughS3() {
        Path zip = temp.resolve("x.zip");
        assertFalse(new PackedArtifact(zip, "0".repeat(64), 52_428_800L, 1, 1).needsS3Upload());
        assertTrue(new PackedArtifact(zip, "0".repeat(64), 52_428_801L, 1, 1).needsS3Upload());
    }

    private PackedArtifact pack(Path source) throws Exception {
        return packer.pack(source, Files.createTempFile(temp, "artifact", ".zip"), line -> { });
    }

    private static ZipFile open(PackedArtifact artifact) throws Exception {
        return ZipFile.builder().setPath(artifact.zip()).get();
    }

    private static String read(ZipFile zip, String name) throws Exception {
        return new String(zip.getInputStream(zip.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void assertLink(ZipFile zip, String name, String target) throws Exception {
        ZipArchiveEntry entry = zip.getEntry(name);
        assertTrue(entry.isUnixSymlink(), name + " is a symlink");
        assertEquals(0120777, entry.getUnixMode());
        assertEquals(target, read(zip, name));
    }

    private Path tree(List<String> files, long mtimeMillis) throws Exception {
        Path root = Files.createTempDirectory(temp, "tree");
        for (String name : files) {
            Path file = root.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "content of " + name);
            Files.setLastModifiedTime(file, FileTime.fromMillis(mtimeMillis));
        }
        return root;
    }
}
