package dev.laambda.build;

import dev.laambda.LaambdaException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipUtil;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

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
    private static final Set<PosixFilePermission> EXECUTE = Set.of(PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
    /** 1980-01-01 00:00:00 as a DOS date-time: day 1 (bit 16), month 1 (bit 21), year 1980 + 0. */
    private static final long DOS_1980_01_01 = (1L << 21) | (1L << 16);
    /** Byte order of the UTF-8 names, which is what "sorted" means to every other zip tool (String order is UTF-16's). */
    private static final Comparator<Entry> BY_NAME_BYTES = (a, b) -> Arrays.compareUnsigned(
            a.name().getBytes(StandardCharsets.UTF_8), b.name().getBytes(StandardCharsets.UTF_8));

    private final long unzippedLimit;
    private final DeflatedFiles deflated;

    /** A packer that compresses every file each time. */
    public ArtifactPacker(long unzippedLimit) {
        this(unzippedLimit, Optional.empty());
    }

    /** A packer that keeps compressed file contents in {@code deflateStore} for the next artifacts (see {@link DeflatedFiles}). */
    public ArtifactPacker(long unzippedLimit, Optional<Path> deflateStore) {
        this.unzippedLimit = unzippedLimit;
        this.deflated = new DeflatedFiles(deflateStore);
    }

    /**
     * A file or a symlink kept in the zip. Directories get no entries of their own (they are implied by
     * the paths), so an empty directory is not in the artifact.
     */
    private record Entry(String name, Path path, String linkTarget, boolean executable, long size) {
        boolean symlink() {
            return linkTarget != null;
        }
    }

    /** Packs {@code buildDir} into {@code zipFile}; refuses a tree over the unzipped limit without writing anything. */
    public PackedArtifact pack(Path buildDir, Path zipFile, Consumer<String> out) {
        try {
            Path root = buildDir.toRealPath();
            List<Entry> entries = collect(root, out);
            long unzipped = entries.stream().mapToLong(Entry::size).sum();
            if (unzipped > unzippedLimit) {
                throw LaambdaException.invalid("artifact_too_large", "Artifact is " + megabytes(unzipped)
                        + " unzipped; Lambda allows " + megabytes(unzippedLimit)
                        + ": remove large files or move them to a layer or S3.");
            }
            write(entries, zipFile);
            deflated.afterPack();
            return new PackedArtifact(zipFile, Sha256.of(zipFile), Files.size(zipFile), unzipped, entries.size());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not pack the artifact: " + e.getMessage(), e);
        }
    }

    private static List<Entry> collect(Path root, Consumer<String> out) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return dir.equals(root.resolve(".git")) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attributes) throws IOException {
                String name = relativeName(root, path);
                if (attributes.isSymbolicLink()) {
                    symlink(root, path, name, out).ifPresent(entries::add);
                } else if (attributes.isRegularFile()) {
                    boolean executable = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).stream()
                            .anyMatch(EXECUTE::contains);
                    entries.add(new Entry(name, path, null, executable, attributes.size()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        entries.sort(BY_NAME_BYTES);
        return entries;
    }

    /**
     * A link kept as a link when, fully resolved, it lands on something the zip holds; its target is stored
     * relative to the link, so it still resolves wherever the zip is unpacked (/var/task on Lambda).
     */
    private static Optional<Entry> symlink(Path root, Path link, String name, Consumer<String> out)
            throws IOException {
        Path written = Files.readSymbolicLink(link);
        Path resolved;
        try {
            resolved = link.toRealPath();
        } catch (IOException danglingOrLoop) {
            out.accept("       skipping symlink " + name + " -> " + written + ": it points to nothing");
            return Optional.empty();
        }
        if (!resolved.startsWith(root) || resolved.startsWith(root.resolve(".git"))) {
            out.accept("       skipping symlink " + name + " -> " + written + ": it points outside the app");
            return Optional.empty();
        }
        String relative = link.getParent().relativize(resolved).toString().replace('\\', '/');
        String target = relative.isEmpty() ? "." : relative;
        return Optional.of(new Entry(name, link, target, false, 0));
    }

    private void write(List<Entry> entries, Path zipFile) throws IOException {
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
                    zip.write(entry.linkTarget().getBytes(StandardCharsets.UTF_8));
                    zip.closeArchiveEntry();
                } else {
                    zipEntry.setUnixMode(FILE | (entry.executable() ? 0755 : 0644));
                    // Compressed once per content (DeflatedFiles), then copied into the zip as it is.
                    try (DeflatedFiles.Deflated content = deflated.of(entry.path()); InputStream raw = content.open()) {
                        zipEntry.setMethod(ZipArchiveEntry.DEFLATED);
                        zipEntry.setCrc(content.crc());
                        zipEntry.setSize(content.size());
                        zipEntry.setCompressedSize(content.compressedSize());
                        zip.addRawArchiveEntry(zipEntry, raw);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(zipFile);
            throw e;
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

    /** Sizes as Lambda's limits state them (1 MB = 1,048,576 bytes): "262.1 MB", "250 MB". */
    static String megabytes(long bytes) {
        double mb = bytes / 1_048_576.0;
        return mb == Math.rint(mb) ? (long) mb + " MB" : String.format(Locale.ROOT, "%.1f MB", mb);
    }
}
