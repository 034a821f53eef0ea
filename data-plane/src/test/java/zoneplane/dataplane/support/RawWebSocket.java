package zoneplane.dataplane.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a raw socket, so a test can do what a browser never does: drop TCP without a
 * close frame (FIN), reset it (RST, {@code SO_LINGER 0}), or fall silent and never answer a close.
 */
public final class RawWebSocket implements AutoCloseable {

    /** One frame as read: its opcode (1 text, 8 close …) and payload. */
    public record Frame(int opcode, byte[] payload) {

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame (1005 when it carries none). */
        public int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String head;

    private RawWebSocket(Socket socket, String head) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.head = head;
    }

    /** Sends a handshake for {@code host}{@code path} and reads the response head (whatever its status). */
    public static RawWebSocket open(int port, String host, String path) throws IOException {
        return open(port, host, path, "");
    }

    /** Like {@link #open(int, String, String)}, with {@code prefix} (a PROXY protocol header, say) sent first. */
    public static RawWebSocket open(int port, String host, String path, String prefix) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 3000);
        socket.setSoTimeout(10_000);
        String request = prefix + handshake(host, path);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        while (!received.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            received.write(c);
        }
        return new RawWebSocket(socket, received.toString(StandardCharsets.ISO_8859_1));
    }

    /** The upgrade request {@link #open} sends for {@code host}{@code path}. */
    public static String handshake(String host, String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
    }

    /** The status of the handshake's answer, or -1 when none came. */
    public int status() {
        return head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
    }

    public String head() {
        return head;
    }

    public void sendText(String text) throws IOException {
        send(1, text.getBytes(StandardCharsets.UTF_8));
    }

    public void sendClose(int code) throws IOException {
        send(8, new byte[] {(byte) (code >> 8), (byte) code});
    }

    /** Bytes as given (a frame header that declares more than it carries, say). */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One masked, final frame (client frames must be masked, RFC 6455 §5.3); payload under 126 bytes. */
    private void send(int opcode, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        out.write(frame);
        out.flush();
    }

    /** Reads one frame (server frames are unmasked); null at the end of the stream or a reset. */
    public Frame read() throws IOException {
        try {
            int first = in.read();
            int second = in.read();
            if (first < 0 || second < 0) {
                return null;
            }
            long length = second & 0x7F;
            if (length == 126) {
                length = ((in.read() & 0xFF) << 8) | (in.read() & 0xFF);
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | (in.read() & 0xFF);
                }
            }
            byte[] payload = in.readNBytes((int) length);
            return new Frame(first & 0x0F, payload);
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException reset) {
            return null;
        }
    }

    /** Whether the edge ended the TCP connection: EOF or a reset within the socket timeout, after any frames. */
    public boolean closedByPeer() throws IOException {
        while (true) {
            Frame frame = read();
            if (frame == null) {
                return true;
            }
        }
    }

    /** Half-closes: a FIN with no close frame, then the socket is left open for reading. */
    public void fin() throws IOException {
        socket.shutdownOutput();
    }

    /** Resets the connection (RST: {@code SO_LINGER 0}, then close) without a close frame. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
