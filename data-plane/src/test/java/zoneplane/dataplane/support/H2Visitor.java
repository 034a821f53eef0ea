package zoneplane.dataplane.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A visitor speaking HTTP/2 frame by frame over one socket (h2c prior knowledge, or h2 over TLS by ALPN),
 * for precise control: a body that stops between DATA frames, a header block trickled in CONTINUATION
 * frames, a connection that never sends its preface. Single-threaded: the test writes frames and then
 * {@link #pump}s what the edge sent, which is sorted per stream ({@link #stream}); the edge's SETTINGS are
 * acknowledged once the visitor sent its own preface, its GOAWAY and the end of the connection are noted.
 */
public final class H2Visitor implements AutoCloseable {

    public static final int CANCEL = 0x8;

    /** What one stream got back: response headers, body, and how it ended. */
    public static final class Stream {
        public Http2Headers headers;
        public final ByteArrayOutputStream body = new ByteArrayOutputStream();
        /** Set when the edge reset the stream: the RST_STREAM error code. */
        public Integer resetCode;
        public boolean ended;
        /**
         * Bytes of this stream's HEADERS and DATA frames as the edge's usage accounting defines them: each
         * frame's 9-byte header, DATA payloads exact, header blocks in HPACK's literal form (2 + name + value
         * per field) rather than as compressed on the wire (see {@code StreamWireCounter}).
         */
        public long accountedBytes;
        /** When the stream ended or was reset ({@link System#nanoTime()}), or 0. */
        public long doneAt;

        public int status() {
            return headers == null ? -1 : Integer.parseInt(headers.status().toString());
        }

        public String text() {
            return body.toString(StandardCharsets.UTF_8);
        }

        boolean done() {
            return ended || resetCode != null;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    private final Map<Integer, Stream> streams = new HashMap<>();
    private Integer goAwayCode;
    private String goAwayDebug = "";
    private boolean closed;
    private boolean prefaceSent;
    private boolean settingsAcknowledged;

    private H2Visitor(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A cleartext connection: HTTP/2 by prior knowledge once {@link #preface} is sent. */
    public static H2Visitor cleartext(int port) throws IOException {
        return new H2Visitor(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** Over a socket the test connected (and perhaps wrote a PROXY header to) itself. */
    public static H2Visitor over(Socket connected) throws IOException {
        return new H2Visitor(connected);
    }

    /** A TLS connection whose handshake chose h2 by ALPN. */
    public static H2Visitor tls(int port, SSLContext ssl) throws IOException {
        SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        if (!"h2".equals(socket.getApplicationProtocol())) {
            throw new IOException("ALPN chose " + socket.getApplicationProtocol() + ", not h2");
        }
        return new H2Visitor(socket);
    }

    /**
     * The connection preface and an empty SETTINGS frame, then waits for the edge's SETTINGS and acknowledges
     * them (so that no acknowledgement falls into a header block a test sends later).
     */
    public H2Visitor preface() throws IOException {
        prefaceOnly();
        frame(Http2FrameTypes.SETTINGS, 0, 0, new byte[0]);
        prefaceSent = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!settingsAcknowledged && readFrame(deadline)) {
            // until the edge's SETTINGS
        }
        if (!settingsAcknowledged) {
            throw new IOException("the edge sent no SETTINGS");
        }
        return this;
    }

    /**
     * Asks for an h2c upgrade with an HTTP/1.1 GET of {@code path} and reads the edge's answer head (the 101,
     * or whatever came instead); HTTP/2 frames follow it on success.
     */
    public String upgrade(String host, String path) throws IOException {
        write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        socket.setSoTimeout(5_000);
        StringBuilder head = new StringBuilder();
        int c;
        while (!head.toString().endsWith("\r\n\r\n") && (c = in.read()) >= 0) {
            head.append((char) c);
        }
        return head.toString();
    }

    /** Only the 24 bytes of the connection preface, no SETTINGS after it. */
    public H2Visitor prefaceOnly() throws IOException {
        write(ByteBufUtil.getBytes(Http2CodecUtil.connectionPrefaceBuf()));
        return this;
    }

    /** A request's whole header block in one HEADERS frame. */
    public H2Visitor request(int streamId, String method, String authority, String path, boolean endStream)
            throws IOException {
        return request(streamId, headers(method, authority, path), endStream);
    }

    public H2Visitor request(int streamId, Http2Headers headers, boolean endStream) throws IOException {
        int flags = Http2Flags.END_HEADERS | (endStream ? Http2Flags.END_STREAM : 0);
        frame(Http2FrameTypes.HEADERS, flags, streamId, headerBlock(headers));
        return this;
    }

    /** A request's pseudo-headers; add more before sending. */
    public static Http2Headers headers(String method, String authority, String path) {
        return new DefaultHttp2Headers().method(method).scheme("https").authority(authority).path(path);
    }

    /**
     * The HPACK block of {@code headers}, for a test that sends it in pieces. The encoder's table remembers
     * it: send it, or the edge's decoder and this one disagree from then on.
     */
    public byte[] headerBlock(Http2Headers headers) {
        ByteBuf block = Unpooled.buffer();
        try {
            encoder.encodeHeaders(1, headers, block);
            return ByteBufUtil.getBytes(block);
        } catch (Http2Exception e) {
            throw new IllegalStateException(e);
        } finally {
            block.release();
        }
    }

    public H2Visitor data(int streamId, String text, boolean endStream) throws IOException {
        frame(Http2FrameTypes.DATA, endStream ? Http2Flags.END_STREAM : 0, streamId,
                text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Any frame, exactly as given. */
    public H2Visitor frame(int type, int flags, int streamId, byte[] payload) throws IOException {
        byte[] frame = new byte[Http2CodecUtil.FRAME_HEADER_LENGTH + payload.length];
        frame[0] = (byte) (payload.length >>> 16);
        frame[1] = (byte) (payload.length >>> 8);
        frame[2] = (byte) payload.length;
        frame[3] = (byte) type;
        frame[4] = (byte) flags;
        frame[5] = (byte) (streamId >>> 24);
        frame[6] = (byte) (streamId >>> 16);
        frame[7] = (byte) (streamId >>> 8);
        frame[8] = (byte) streamId;
        System.arraycopy(payload, 0, frame, Http2CodecUtil.FRAME_HEADER_LENGTH, payload.length);
        write(frame);
        return this;
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads and sorts what the edge sends for {@code window}, or until it closes the connection. */
    public H2Visitor pump(Duration window) throws IOException {
        long deadline = System.nanoTime() + window.toNanos();
        while (!closed && readFrame(deadline)) {
            // sorted by readFrame
        }
        return this;
    }

    /** Pumps until stream {@code streamId} ended or was reset, the connection closed, or {@code limit} passed. */
    public Stream await(int streamId, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!closed && !stream(streamId).done() && readFrame(deadline)) {
            // sorted by readFrame
        }
        return stream(streamId);
    }

    /** Pumps until the edge closes the connection or {@code limit} passes; returns whether it closed. */
    public boolean awaitClose(Duration limit) throws IOException {
        pump(limit);
        return closed;
    }

    public Stream stream(int streamId) {
        return streams.computeIfAbsent(streamId, id -> new Stream());
    }

    /** The error code of the GOAWAY the edge sent, or null. */
    public Integer goAwayCode() {
        return goAwayCode;
    }

    public String goAwayDebug() {
        return goAwayDebug;
    }

    public boolean closed() {
        return closed;
    }

    /** Reads one frame if one starts before {@code deadline}; false when none did or the connection ended. */
    private boolean readFrame(long deadline) throws IOException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            return false;
        }
        byte[] header = new byte[Http2CodecUtil.FRAME_HEADER_LENGTH];
        try {
            socket.setSoTimeout((int) left);
            int first = in.read();
            if (first < 0) {
                closed = true;
                return false;
            }
            socket.setSoTimeout(5_000); // the rest of a started frame follows at once
            header[0] = (byte) first;
            readFully(header, 1);
            int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
            byte[] payload = new byte[length];
            readFully(payload, 0);
            int streamId = ((header[5] & 0x7f) << 24) | ((header[6] & 0xff) << 16) | ((header[7] & 0xff) << 8)
                    | (header[8] & 0xff);
            sort(header[3], header[4] & 0xff, streamId, payload);
            Stream stream = streams.get(streamId);
            if (stream != null && stream.done() && stream.doneAt == 0) {
                stream.doneAt = System.nanoTime();
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            closed = true; // reset
            return false;
        }
    }

    private void readFully(byte[] into, int from) throws IOException {
        int n = in.readNBytes(into, from, into.length - from);
        if (n < into.length - from) {
            throw new SocketException("the edge closed the connection inside a frame");
        }
    }

    private void sort(byte type, int flags, int streamId, byte[] payload) throws IOException {
        switch (type) {
            case Http2FrameTypes.SETTINGS -> {
                if ((flags & Http2Flags.ACK) == 0 && prefaceSent) {
                    frame(Http2FrameTypes.SETTINGS, Http2Flags.ACK, 0, new byte[0]);
                    settingsAcknowledged = true;
                }
            }
            case Http2FrameTypes.HEADERS -> {
                Stream stream = stream(streamId);
                int offset = (flags & Http2Flags.PADDED) != 0 ? 1 : 0;
                offset += (flags & Http2Flags.PRIORITY) != 0 ? 5 : 0;
                int padding = (flags & Http2Flags.PADDED) != 0 ? payload[0] & 0xff : 0;
                ByteBuf block = Unpooled.wrappedBuffer(payload, offset, payload.length - offset - padding);
                try {
                    Http2Headers headers = decoder.decodeHeaders(streamId, block);
                    stream.accountedBytes += Http2CodecUtil.FRAME_HEADER_LENGTH + padding;
                    headers.forEach(h -> stream.accountedBytes += 2 + h.getKey().length() + h.getValue().length());
                    if (stream.headers == null) {
                        stream.headers = headers;
                    }
                } catch (Http2Exception e) {
                    throw new IOException(e);
                }
                stream.ended |= (flags & Http2Flags.END_STREAM) != 0;
            }
            case Http2FrameTypes.DATA -> {
                Stream stream = stream(streamId);
                int offset = (flags & Http2Flags.PADDED) != 0 ? 1 : 0;
                int padding = offset == 1 ? payload[0] & 0xff : 0;
                stream.body.write(payload, offset, payload.length - offset - padding);
                stream.accountedBytes += Http2CodecUtil.FRAME_HEADER_LENGTH + payload.length;
                stream.ended |= (flags & Http2Flags.END_STREAM) != 0;
            }
            case Http2FrameTypes.RST_STREAM -> stream(streamId).resetCode =
                    ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
                            | (payload[3] & 0xff);
            case Http2FrameTypes.GO_AWAY -> {
                goAwayCode = ((payload[4] & 0xff) << 24) | ((payload[5] & 0xff) << 16) | ((payload[6] & 0xff) << 8)
                        | (payload[7] & 0xff);
                goAwayDebug = new String(payload, 8, payload.length - 8, StandardCharsets.US_ASCII);
            }
            default -> {
                // PING, WINDOW_UPDATE, PRIORITY: nothing a test asserts
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
