package dev.laambda.build;

import dev.laambda.LaambdaException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipUtil;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Zips a build directory deterministically: entries sorted, one fixed timestamp, modes reduced to
 * 0644/0755, so the same tree always gives the same bytes and the same sha256. Symlinks that leave
 * the tree are never followed; Lambda's 250 MB unzipped limit is checked before anything is written.
 */
public final class ArtifactPacker {

    /** Lambda's limit on the unzipped size of a function's code: 250 MB (262,144,000 bytes). */
    public static final long LAMBDA_UNZIPPED_LIMIT = 262_144_000L;
    private static final int FILE = 0100000;
    private static final int SYMLINK = 0120000;
    /** 1980-01-01 00:00:00 as a DOS date-time: day 1 (bit 16), month 1 (bit 21), year 1980 + 0. */
    private static final long DOS_1980_01_01 = (1L << 21) | (1L << 16);

    private final long unzippedLimit;

    public ArtifactPacker(long unzippedLimit) {
        this.unzippedLimit = unzippedLimit;
    }

    private record Entry(String name, Path path, boolean symlink, boolean executable, long size) {
    }

    public PackedArtifact pack(Path buildDir, Path zipFile, Consumer<String> out) {
        try {
            Path root = buildDir.toRealPath();
            List<Entry> entries = collect(root, out);
            long unzipped = entries.stream().mapToLong(Entry::size).sum();
            if (unzipped > unzippedLimit) {
                throw LaambdaException.invalid("artifact_too_large", String.format(
                        "Artifact is %.1f MB unzipped; Lambda allows %d MB: remove large files or move them to a layer or S3.",
                        unzipped / 1_048_576.0, unzippedLimit / 1_048_576));
            }
            write(entries, zipFile);
            return new PackedArtifact(zipFile, sha256(zipFile), Files.size(zipFile), unzipped, entries.size());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not pack the artifact: " + e.getMessage(), e);
        }
    }

    private static List<Entry> collect(Path root, Consumer<String> out) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted().toList()) {
                String name = relativeName(root, path);
                if (path.equals(root) || name.equals(".git") || name.startsWith(".git/")) {
                    continue;
                }
                if (Files.isSymbolicLink(path)) {
                    Path target = Files.readSymbolicLink(path);
                    if (staysInside(root, path)) {
                        entries.add(new Entry(name, path, true, false, 0));
                    } else {
                        out.accept("       skipping symlink " + name + " -> " + target + ": it points outside the app");
                    }
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    Set<PosixFilePermission> modes = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
                    boolean executable = modes.contains(PosixFilePermission.OWNER_EXECUTE)
                            || modes.contains(PosixFilePermission.GROUP_EXECUTE) || modes.contains(PosixFilePermission.OTHERS_EXECUTE);
                    entries.add(new Entry(name, path, false, executable, Files.size(path)));
                }
            }
        }
        entries.sort((a, b) -> a.name().compareTo(b.name()));
        return entries;
    }

    /** A link whose target exists and, fully resolved, is inside the tree (walking through other links too). */
    private static boolean staysInside(Path root, Path link) {
        try {
            return link.toRealPath().startsWith(root);
        } catch (IOException danglingOrLoop) {
            return false;
        }
    }

    private static void write(List<Entry> entries, Path zipFile) throws IOException {
        long fixedTime = zipEpochInLocalTime();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(Files.newOutputStream(zipFile))) {
            zip.setEncoding(StandardCharsets.UTF_8.name());
            zip.setUseLanguageEncodingFlag(true);
            zip.setCreateUnicodeExtraFields(ZipArchiveOutputStream.UnicodeExtraFieldPolicy.NEVER);
            for (Entry entry : entries) {
                ZipArchiveEntry zipEntry = new ZipArchiveEntry(entry.name());
                zipEntry.setTime(fixedTime);
                if (entry.symlink()) {
                    zipEntry.setUnixMode(SYMLINK | 0777);
                    zip.putArchiveEntry(zipEntry);
                    zip.write(Files.readSymbolicLink(entry.path()).toString().getBytes(StandardCharsets.UTF_8));
                } else {
                    zipEntry.setUnixMode(FILE | (entry.executable() ? 0755 : 0644));
                    zip.putArchiveEntry(zipEntry);
                    try (InputStream in = Files.newInputStream(entry.path(), LinkOption.NOFOLLOW_LINKS)) {
                        in.transferTo(zip);
                    }
                }
                zip.closeArchiveEntry();
            }
        }
    }

    /**
     * Zip stores local DOS time. Going through commons-compress's own DOS conversion (not java.time) puts
     * 1980-01-01 00:00 in every entry whatever the JVM's time zone.
     */
    private static long zipEpochInLocalTime() {
        return ZipUtil.dosToJavaTime(DOS_1980_01_01);
    }

    private static String relativeName(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
