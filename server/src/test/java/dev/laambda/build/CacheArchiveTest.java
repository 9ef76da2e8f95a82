package dev.laambda.build;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A build cache as a tar.gz: what comes back, and what a planted archive cannot do. */
class CacheArchiveTest {

    @TempDir
    Path temp;

    @Test
    void aCacheComesBackWithItsFilesModesTimesAndLinksAndTheSameFingerprint() throws Exception {
        Path cache = Files.createDirectories(temp.resolve("cache"));
        Files.createDirectories(cache.resolve("pip/wheels"));
        Files.writeString(cache.resolve("pip/wheels/one.whl"), "wheel");
        Path tool = Files.writeString(cache.resolve("tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setLastModifiedTime(tool, FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));
        Files.createSymbolicLink(cache.resolve("latest"), Path.of("pip/wheels/one.whl"));
        Files.createDirectories(cache.resolve("empty"));

        Path archive = temp.resolve("cache.tar.gz");
        CacheArchive.pack(cache, archive, 1 << 20);
        Path back = temp.resolve("back");
        CacheArchive.unpack(archive, back);

        assertEquals("wheel", Files.readString(back.resolve("latest")));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(back.resolve("tool"))));
        assertEquals(Path.of("pip/wheels/one.whl"), Files.readSymbolicLink(back.resolve("latest")));
        assertTrue(Files.isDirectory(back.resolve("empty")));
        assertEquals(CacheArchive.fingerprint(cache), CacheArchive.fingerprint(back));

        Files.writeString(back.resolve("pip/wheels/two.whl"), "another");
        assertNotEquals(CacheArchive.fingerprint(cache), CacheArchive.fingerprint(back), "a build added a wheel");
    }

    @Test
    void anEntryNamingAPlaceOutsideTheCacheIsRefusedAndNothingIsWrittenThere() throws Exception {
        Path archive = archive(tar -> file(tar, "../planted", "x"));

        IOException refused = assertThrows(IOException.class, () -> CacheArchive.unpack(archive, temp.resolve("cache")));
        assertTrue(refused.getMessage().contains("outside"), refused.getMessage());
        assertFalse(Files.exists(temp.resolve("planted")));
    }

    @Test
    void aLinkLeadingOutsideCarriesNoLaterEntryOutThroughIt() throws Exception {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Path archive = archive(tar -> {
            link(tar, "out", outside.toString());
            file(tar, "out/planted", "x");
            link(tar, "away", outside.toString());
            link(tar, "away/planted-link", "/etc/passwd");
        });

        CacheArchive.unpack(archive, temp.resolve("cache"));

        try (var planted = Files.list(outside)) {
            assertEquals(0, planted.count(), "nothing was written outside the cache");
        }
        assertTrue(Files.isDirectory(temp.resolve("cache/out"), LinkOption.NOFOLLOW_LINKS), "a real directory, not the link");
        assertTrue(Files.isSymbolicLink(temp.resolve("cache/away")), "a link is kept, pointing where it pointed");
    }

    @Test
    void packingStopsOnceTheArchivePassesItsLimit() throws Exception {
        Path cache = Files.createDirectories(temp.resolve("cache"));
        byte[] noise = new byte[256 << 10];
        new Random(17).nextBytes(noise);
        Files.write(cache.resolve("noise"), noise);

        assertThrows(CacheArchive.TooLarge.class, () -> CacheArchive.pack(cache, temp.resolve("big.tar.gz"), 64 << 10));
    }

    private interface Entries {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private Path archive(Entries entries) throws IOException {
        Path archive = temp.resolve("planted.tar.gz");
        try (OutputStream file = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            entries.write(tar);
        }
        return archive;
    }

    private static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        entry.setLinkName(target);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }
}
