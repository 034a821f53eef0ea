package zoneplane.dataplane.subscriber;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.ZoneConfig;
import zoneplane.model.wire.SnapshotReader;
import zoneplane.model.wire.SnapshotWriter;
import zoneplane.model.wire.WireFormatException;

/**
 * The node's last good view on local disk, so it can boot and serve without the control plane.
 *
 * <p>File {@value #FILE_NAME}: the snapshot document ({@code {"revision":n,"zones":[…]}}, the same
 * JSON the control plane serves) followed by a fixed-size trailer {@code "\nsha256:<64 hex>\n"}
 * holding the SHA-256 of the document bytes. Saving writes a temporary file in the same directory,
 * fsyncs it, renames it over the old one atomically and fsyncs the directory: a crash leaves either
 * the old or the new file, never a torn one. Loading refuses (logs, moves aside, returns empty) a file
 * whose checksum or JSON does not verify; it never throws for bad content.
 */
public final class ViewCache {

    private static final Logger log = LoggerFactory.getLogger(ViewCache.class);

    public static final String FILE_NAME = "zone-view.json";
    private static final String TRAILER_PREFIX = "\nsha256:";
    private static final int TRAILER_LENGTH = TRAILER_PREFIX.length() + 64 + 1;

    private final Path dir;
    private final Path file;
    private final ZoneCanonicalizer canonicalizer;

    public ViewCache(Path dir) {
        this(dir, new ZoneCanonicalizer());
    }

    ViewCache(Path dir, ZoneCanonicalizer canonicalizer) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
        this.canonicalizer = canonicalizer;
    }

    public Path file() {
        return file;
    }

    /** The cached view, or empty when there is none or it does not verify (then it is moved aside). */
    public Optional<ZoneView> load() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(read());
        } catch (CorruptCache e) {
            Path aside = dir.resolve(FILE_NAME + ".corrupt");
            log.error("Refusing the disk cache {}: {}. Moved it to {}; the node waits for the control plane.",
                    file, e.getMessage(), aside);
            moveAside(aside);
            return Optional.empty();
        } catch (IOException e) {
            log.error("Cannot read the disk cache {}: {}; the node waits for the control plane.", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Writes {@code view} atomically (temp file, fsync, rename, directory fsync). */
    public void save(ZoneView view) throws IOException {
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, FILE_NAME, ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                MessageDigest digest = sha256();
                OutputStream raw = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                SnapshotWriter writer = new SnapshotWriter(new KeepOpen(new DigestOutputStream(raw, digest)), view.revision());
                view.forEach(writer::write);
                writer.close();
                raw.write((TRAILER_PREFIX + HexFormat.of().formatHex(digest.digest()) + "\n").getBytes(StandardCharsets.US_ASCII));
                raw.flush();
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private ZoneView read() throws IOException {
        long size = Files.size(file);
        if (size < TRAILER_LENGTH) {
            throw new CorruptCache("file is too short (" + size + " bytes)");
        }
        String expected = trailerDigest(size);
        MessageDigest digest = sha256();
        List<ZoneConfig> zones = new ArrayList<>();
        long revision;
        try (InputStream in = new DigestInputStream(
                new Limited(new BufferedInputStream(Files.newInputStream(file), 1 << 16), size - TRAILER_LENGTH), digest)) {
            revision = SnapshotReader.read(in, zone -> zones.add(canonicalizer.canonical(zone)));
            in.transferTo(OutputStream.nullOutputStream()); // digest any bytes the parser did not need
        } catch (WireFormatException e) {
            throw new CorruptCache("the view JSON does not parse (" + e.getMessage() + ")");
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(expected)) {
            throw new CorruptCache("checksum mismatch");
        }
        return ZoneView.of(revision, zones);
    }

    private String trailerDigest(long size) throws IOException {
        byte[] trailer = new byte[TRAILER_LENGTH];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.position(size - TRAILER_LENGTH);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(trailer);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read the fixed-size trailer fully
            }
        }
        String text = new String(trailer, StandardCharsets.US_ASCII);
        if (!text.startsWith(TRAILER_PREFIX) || !text.endsWith("\n")
                || !text.substring(TRAILER_PREFIX.length(), TRAILER_LENGTH - 1).matches("[0-9a-f]{64}")) {
            throw new CorruptCache("no checksum trailer");
        }
        return text.substring(TRAILER_PREFIX.length(), TRAILER_LENGTH - 1);
    }

    private void moveAside(Path aside) {
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("could not move the refused cache aside: {}", e.getMessage());
        }
    }

    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UncheckedIOException e) {
            // Some file systems cannot fsync a directory; the rename itself is still atomic.
            log.debug("directory fsync not supported for {}: {}", dir, e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ViewCache{" + file + "}";
    }

    /** The cache's content is not a view this node wrote: refused, never loaded in part. */
    private static final class CorruptCache extends IOException {
        CorruptCache(String message) {
            super(message);
        }
    }

    /** Lets SnapshotWriter close its generator without closing the file: the trailer follows. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** Reads at most {@code remaining} bytes: the document without its trailer. */
    private static final class Limited extends FilterInputStream {
        private long remaining;

        Limited(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
