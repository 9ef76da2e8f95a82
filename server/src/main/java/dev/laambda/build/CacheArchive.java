package dev.laambda.build;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A build cache directory as one tar.gz and back: directories, regular files (mode and modification time) and
 * symbolic links, nothing else. A build writes its cache, so nothing in it is trusted: packing never follows a
 * link, and unpacking writes only inside the target, making links last and only where their directory is inside.
 */
final class CacheArchive {

    /** The archive grew past the limit it was packed with. */
    static final class TooLarge extends IOException {
        TooLarge(long limitBytes) {
            super("the archive is over " + limitBytes + " bytes");
        }
    }

    private static final PosixFilePermission[] MODE_BITS = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private CacheArchive() {
    }

    /** Writes {@code dir}'s tree into {@code archive}; throws {@link TooLarge} once the archive passes the limit. */
    static void pack(Path dir, Path archive, long limitBytes) throws IOException {
        try (OutputStream file = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(
                     new Limited(file, limitBytes)), StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Map.Entry<String, Path> each : tree(dir).entrySet()) {
                String name = each.getKey();
                Path path = each.getValue();
                TarArchiveEntry entry;
                boolean regularFile = false;
                if (Files.isSymbolicLink(path)) {
                    entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    entry.setLinkName(Files.readSymbolicLink(path).toString());
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    entry = new TarArchiveEntry(name + "/");
                    entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode(path));
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    entry = new TarArchiveEntry(name);
                    entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode(path));
                    entry.setSize(Files.size(path));
                    entry.setModTime(Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS));
                    regularFile = true;
                } else {
                    continue; // sockets, pipes, devices: nothing a cache needs
                }
                tar.putArchiveEntry(entry);
                if (regularFile) {
                    Files.copy(path, tar);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    /** Unpacks {@code archive} into {@code dir}, which must not exist yet. */
    static void unpack(Path archive, Path dir) throws IOException {
        Path root = Files.createDirectories(dir).toRealPath();
        Map<Path, Integer> dirModes = new LinkedHashMap<>();
        List<TarArchiveEntry> links = new ArrayList<>();
        try (InputStream file = Files.newInputStream(archive);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file),
                     StandardCharsets.UTF_8.name())) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path target = inside(root, entry.getName());
                if (target.equals(root)) {
                    continue;
                }
                if (entry.isSymbolicLink()) {
                    links.add(entry);
                } else if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    dirModes.put(target, entry.getMode() & 0777);
                } else if (entry.getLinkFlag() == TarConstants.LF_NORMAL || entry.getLinkFlag() == TarConstants.LF_OLDNORM) {
                    // No link exists yet (they come last), so no directory on the way leads outside.
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, permissions(entry.getMode() & 0777));
                    Files.setLastModifiedTime(target, FileTime.from(entry.getModTime().toInstant()));
                }
            }
        }
        for (TarArchiveEntry entry : links) {
            Path link = inside(root, entry.getName());
            Path parent = link.getParent();
            // An earlier link may point anywhere: a link is made only where its directory really is inside.
            if (Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS) && parent.toRealPath().startsWith(root)
                    && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, Path.of(entry.getLinkName()));
            }
        }
        List<Path> dirs = new ArrayList<>(dirModes.keySet());
        for (int i = dirs.size() - 1; i >= 0; i--) {
            if (Files.isDirectory(dirs.get(i), LinkOption.NOFOLLOW_LINKS)) {
                Files.setPosixFilePermissions(dirs.get(i), permissions(dirModes.get(dirs.get(i)) | 0700));
            }
        }
    }

    /**
     * What the tree holds, as one SHA-256: every path with its kind, size, modification time and link target. The
     * same fingerprint before and after a build means the build changed nothing in the cache.
     */
    static String fingerprint(Path dir) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Map.Entry<String, Path> each : tree(dir).entrySet()) {
            Path path = each.getValue();
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String line = each.getKey() + "\0" + (attributes.isSymbolicLink() ? "l" + Files.readSymbolicLink(path)
                    : attributes.isDirectory() ? "d" : "f" + attributes.size() + "\0"
                    + attributes.lastModifiedTime().toMillis()) + "\n";
            sha.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Every path under {@code dir} (not {@code dir} itself) by its relative name, parents first, sorted; links not followed. */
    private static Map<String, Path> tree(Path dir) throws IOException {
        Map<String, Path> paths = new java.util.TreeMap<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path path, BasicFileAttributes attributes) {
                if (!path.equals(dir)) {
                    paths.put(dir.relativize(path).toString(), path);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attributes) {
                paths.put(dir.relativize(path).toString(), path);
                return FileVisitResult.CONTINUE;
            }
        });
        return paths;
    }

    /** Where an entry goes: inside {@code root}, or the archive is refused. */
    private static Path inside(Path root, String name) throws IOException {
        Path relative = Path.of(name).normalize();
        if (relative.isAbsolute() || relative.startsWith("..")) {
            throw new IOException("the archive has an entry outside its directory: " + name);
        }
        return root.resolve(relative);
    }

    private static int mode(Path path) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        for (int bit = 0; bit < MODE_BITS.length; bit++) {
            if (permissions.contains(MODE_BITS[bit])) {
                mode |= 1 << bit;
            }
        }
        return mode;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < MODE_BITS.length; bit++) {
            if ((mode & 1 << bit) != 0) {
                permissions.add(MODE_BITS[bit]);
            }
        }
        return permissions;
    }

    /** Counts what is written and stops at the limit, so an oversized cache costs no more than the limit's worth. */
    private static final class Limited extends FilterOutputStream {
        private final long limitBytes;
        private long written;

        Limited(OutputStream out, long limitBytes) {
            super(out);
            this.limitBytes = limitBytes;
        }

        @Override
        public void write(int b) throws IOException {
            count(1);
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            count(length);
            out.write(bytes, offset, length);
        }

        private void count(int bytes) throws IOException {
            written += bytes;
            if (written > limitBytes) {
                throw new TooLarge(limitBytes);
            }
        }
    }
}
