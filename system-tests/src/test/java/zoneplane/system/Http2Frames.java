package zoneplane.system;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import zoneplane.testing.RecordingOrigin;

/** Hand-built HTTP/2 frames (RFC 9113 §4.1) for invalid-frame tests, and a reader for the server's frames. */
final class Http2Frames {

    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int SETTINGS = 4;
    static final int PING = 6;
    static final int RST_STREAM = 3;
    static final int GOAWAY = 7;
    static final int CONTINUATION = 9;
    static final int END_STREAM = 0x1;
    static final int END_HEADERS = 0x4;
    static final int WINDOW_UPDATE = 8;

    private Http2Frames() {}

    record Frame(int type, int flags, int stream, byte[] payload) {

        /** A GOAWAY's error code (RFC 9113 §7: 1 PROTOCOL_ERROR, 6 FRAME_SIZE_ERROR, ...). */
        int errorCode() {
            return ((payload[4] & 0xff) << 24) | ((payload[5] & 0xff) << 16) | ((payload[6] & 0xff) << 8) | (payload[7] & 0xff);
        }
    }

    /** The client connection preface for h2c with prior knowledge, then an empty SETTINGS frame. */
    static byte[] prefaceAndSettings() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(frame(SETTINGS, 0, 0, new byte[0]));
        return out.toByteArray();
    }

    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        return header(payload.length, type, flags, stream, payload);
    }

    /** A frame whose declared length may differ from the payload sent (oversized-frame tests). */
    static byte[] header(int declaredLength, int type, int flags, int stream, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((declaredLength >>> 16) & 0xff);
        out.write((declaredLength >>> 8) & 0xff);
        out.write(declaredLength & 0xff);
        out.write(type);
        out.write(flags);
        out.write((stream >>> 24) & 0x7f);
        out.write((stream >>> 16) & 0xff);
        out.write((stream >>> 8) & 0xff);
        out.write(stream & 0xff);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /**
     * An HPACK header block (RFC 7541, no Huffman, no dynamic table) for {@code GET path} to
     * {@code authority}, carrying an {@code x-test-id}: static-table indices for :method GET and
     * :scheme http, literals "without indexing" for the rest.
     */
    static byte[] getRequestBlock(String authority, String path, String testId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x82); // :method GET
        out.write(0x86); // :scheme http
        literalWithIndexedName(out, 4, path);      // :path
        literalWithIndexedName(out, 1, authority); // :authority
        out.write(0x00);                           // literal name and value, not indexed
        string(out, RecordingOrigin.TEST_ID);
        string(out, testId);
        return out.toByteArray();
    }

    private static void literalWithIndexedName(ByteArrayOutputStream out, int index, String value) {
        out.write(index); // 0000 xxxx: literal without indexing, name from the static table
        string(out, value);
    }

    private static void string(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= 127) {
            throw new IllegalArgumentException("short strings only");
        }
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The complete frames in {@code bytes} (a trailing partial frame is ignored). */
    static List<Frame> parse(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        int i = 0;
        while (i + 9 <= bytes.length) {
            int length = ((bytes[i] & 0xff) << 16) | ((bytes[i + 1] & 0xff) << 8) | (bytes[i + 2] & 0xff);
            if (i + 9 + length > bytes.length) {
                break;
            }
            int stream = ((bytes[i + 5] & 0x7f) << 24) | ((bytes[i + 6] & 0xff) << 16) | ((bytes[i + 7] & 0xff) << 8)
                    | (bytes[i + 8] & 0xff);
            byte[] payload = new byte[length];
            System.arraycopy(bytes, i + 9, payload, 0, length);
            frames.add(new Frame(bytes[i + 3] & 0xff, bytes[i + 4] & 0xff, stream, payload));
            i += 9 + length;
        }
        return frames;
    }
}
