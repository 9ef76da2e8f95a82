package dev.laambda.build;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Files' contents deflated as a zip entry stores them, kept by content (sha256) so the next artifact with
 * the same file (the same dependencies, a PHP runtime layer, a JDK's jars) copies the compressed bytes
 * instead of compressing again. Deflating the same bytes the same way gives the same output, so a warm
 * and a cold store give the same artifact. Without a directory nothing is kept: each file is deflated
 * into a temporary file that is deleted after use. The store is pruned to {@value #KEEP_BYTES} bytes
 * (least recently used first) when it grows past {@value #PRUNE_ABOVE_BYTES}.
 */
final class DeflatedFiles {

    static final long PRUNE_ABOVE_BYTES = 4L << 30;
    static final long KEEP_BYTES = 2L << 30;
    private static final int PRUNE_EVERY_PACKS = 25;

    private final Optional<Path> dir;
    private final AtomicLong packs = new AtomicLong();

    DeflatedFiles(Optional<Path> dir) {
        this.dir = dir;
    }

    /** Deflated content ready to be copied into a zip: the data file holds the raw deflate stream. */
    record Deflated(long crc, long size, long compressedSize, Path data, boolean temporary) implements AutoCloseable {
        /** The raw deflated bytes (the store keeps the CRC in its first 8 bytes). */
        InputStream open() throws IOException {
            InputStream in = Files.newInputStream(data);
            if (!temporary) {
                in.skipNBytes(Long.BYTES);
            }
            return in;
        }

        @Override
        public void close() throws IOException {
            if (temporary) {
                Files.deleteIfExists(data);
            }
        }
    }

    Deflated of(Path file) throws IOException {
        if (dir.isEmpty()) {
            Path temporary = Files.createTempFile("laambda-deflate", ".bin");
            CRC32 crc = new CRC32();
            long size = deflate(file, temporary, crc, false);
            return new Deflated(crc.getValue(), size, Files.size(temporary), temporary, true);
        }
        Path stored = dir.get().resolve(sha256(file) + ".deflate");
        if (!Files.isRegularFile(stored)) {
            Files.createDirectories(dir.get());
            Path partial = Files.createTempFile(dir.get(), "partial", ".tmp");
            try {
                deflate(file, partial, new CRC32(), true);
                Files.move(partial, stored, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
        } else {
            Files.setLastModifiedTime(stored, FileTime.from(Instant.now()));
        }
        long crc;
        try (DataInputStream header = new DataInputStream(Files.newInputStream(stored))) {
            crc = header.readLong();
        }
        return new Deflated(crc, Files.size(file), Files.size(stored) - Long.BYTES, stored, false);
    }

    /** After each pack: now and then, trims the store back to its size. */
    void afterPack() throws IOException {
        if (dir.isEmpty() || packs.incrementAndGet() % PRUNE_EVERY_PACKS != 0 || !Files.isDirectory(dir.get())) {
            return;
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir.get())) {
            files = listing.sorted(Comparator.comparing(DeflatedFiles::lastUsed)).toList();
        }
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        for (int i = 0; total > PRUNE_ABOVE_BYTES && i < files.size(); i++) {
            if (total <= KEEP_BYTES) {
                break;
            }
            total -= Files.size(files.get(i));
            Files.deleteIfExists(files.get(i));
        }
    }

    /** Raw deflate (as a zip entry holds it) of {@code file} into {@code target}; returns the uncompressed size. */
    private static long deflate(Path file, Path target, CRC32 crc, boolean withCrcHeader) throws IOException {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try (OutputStream out = Files.newOutputStream(target)) {
            if (withCrcHeader) {
                new DataOutputStream(out).writeLong(0);
            }
            long size;
            try (InputStream in = new CheckedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), crc);
                 DeflaterOutputStream deflating = new DeflaterOutputStream(nonClosing(out), deflater, 64 * 1024)) {
                size = in.transferTo(deflating);
            }
            out.flush();
            if (!withCrcHeader) {
                return size;
            }
            try (var channel = java.nio.channels.FileChannel.open(target, java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.allocate(Long.BYTES).putLong(0, crc.getValue()), 0);
            }
            return size;
        } finally {
            deflater.end();
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }

    private static FileTime lastUsed(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException gone) {
            return FileTime.fromMillis(0);
        }
    }
}
