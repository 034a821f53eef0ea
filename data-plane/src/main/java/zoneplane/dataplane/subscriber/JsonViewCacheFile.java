package zoneplane.dataplane.subscriber;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.ZoneConfig;
import zoneplane.model.wire.SnapshotReader;
import zoneplane.model.wire.WireFormatException;

/**
 * Reads the disk cache format of nodes before the binary one ({@value #FILE_NAME}): the snapshot
 * document ({@code {"revision":n,"zones":[…]}}) followed by a trailer {@code "\nsha256:<64 hex>\n"}
 * holding the SHA-256 of the document bytes. Only read, once, when a node upgraded from such a version
 * starts: {@link ViewCache} then writes the binary file and removes this one.
 */
final class JsonViewCacheFile {

    static final String FILE_NAME = "zone-view.json";
    static final String TRAILER_PREFIX = "\nsha256:";
    private static final int TRAILER_LENGTH = TRAILER_PREFIX.length() + 64 + 1;

    private JsonViewCacheFile() {}

    static ZoneView read(Path file, ZoneCanonicalizer canonicalizer) throws IOException {
        long size = Files.size(file);
        if (size < TRAILER_LENGTH) {
            throw CorruptCacheException.corrupt("file is too short (" + size + " bytes)");
        }
        String expected = trailerDigest(file, size);
        MessageDigest digest = sha256();
        List<ZoneConfig> zones = new ArrayList<>();
        long revision;
        try (InputStream in = new DigestInputStream(
                new Limited(new BufferedInputStream(Files.newInputStream(file), 1 << 16), size - TRAILER_LENGTH), digest)) {
            revision = SnapshotReader.read(in, zone -> zones.add(canonicalizer.canonical(zone)));
            in.transferTo(OutputStream.nullOutputStream()); // digest any bytes the parser did not need
        } catch (WireFormatException e) {
            throw CorruptCacheException.corrupt("the view JSON does not parse (" + e.getMessage() + ")");
        }
        if (!HexFormat.of().formatHex(digest.digest()).equals(expected)) {
            throw CorruptCacheException.corrupt("checksum mismatch");
        }
        return ZoneView.of(revision, zones);
    }

    private static String trailerDigest(Path file, long size) throws IOException {
        byte[] trailer = new byte[TRAILER_LENGTH];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.position(size - TRAILER_LENGTH);
            ByteBuffer buffer = ByteBuffer.wrap(trailer);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read the fixed-size trailer fully
            }
        }
        String text = new String(trailer, StandardCharsets.US_ASCII);
        if (!text.startsWith(TRAILER_PREFIX) || !text.endsWith("\n")
                || !text.substring(TRAILER_PREFIX.length(), TRAILER_LENGTH - 1).matches("[0-9a-f]{64}")) {
            throw CorruptCacheException.corrupt("no checksum trailer");
        }
        return text.substring(TRAILER_PREFIX.length(), TRAILER_LENGTH - 1);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
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
