package zoneplane.dataplane.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Writes bytes exactly as given (malformed requests, PROXY headers, broken frames) and reads what comes
 * back: either one response ({@link #exchange(String, int, String)}), or everything until the peer closes
 * or falls silent ({@link #untilClosed}), for precise control over connections (a load balancer's view
 * of a drain, smuggling attempts).
 */
public final class RawHttp {

    private RawHttp() {}

    /** What came back on one connection: the bytes, and whether the peer closed it (EOF) within the wait. */
    public record Exchange(byte[] bytes, boolean closedByPeer) {

        public String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        /** The status of the first response, or -1 when no status line arrived. */
        public int status() {
            String t = text();
            if (!t.startsWith("HTTP/1.")) {
                return -1;
            }
            int sp = t.indexOf(' ');
            return Integer.parseInt(t.substring(sp + 1, sp + 4));
        }

        /** How many responses (status lines at line starts) the connection carried. */
        public int responses() {
            int count = 0;
            String t = text();
            for (int i = t.indexOf("HTTP/1."); i >= 0; i = t.indexOf("HTTP/1.", i + 1)) {
                if (i == 0 || t.charAt(i - 1) == '\n') {
                    count++;
                }
            }
            return count;
        }
    }

    public static Socket connect(String host, int port, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 2000);
        socket.setSoTimeout(readTimeoutMillis);
        return socket;
    }

    /** Sends {@code request} on a new connection and reads until the peer closes it or {@code waitMillis} passes. */
    public static Exchange untilClosed(String host, int port, byte[] request, int waitMillis) throws IOException {
        try (Socket socket = connect(host, port, waitMillis)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return readUntilClosed(socket, waitMillis);
        }
    }

    public static Exchange untilClosed(String host, int port, String request, int waitMillis) throws IOException {
        return untilClosed(host, port, request.getBytes(StandardCharsets.ISO_8859_1), waitMillis);
    }

    /** Reads until EOF, a reset, or until nothing more arrives for the socket's timeout (bounded by {@code maxMillis}). */
    public static Exchange readUntilClosed(Socket socket, int maxMillis) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        InputStream in = socket.getInputStream();
        while (System.nanoTime() < deadline) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException quiet) {
                return new Exchange(out.toByteArray(), false);
            } catch (IOException reset) {
                return new Exchange(out.toByteArray(), true);
            }
            if (n < 0) {
                return new Exchange(out.toByteArray(), true);
            }
            out.write(buffer, 0, n);
        }
        return new Exchange(out.toByteArray(), false);
    }

    /** Sends {@code request} and returns the response text read until the peer closes or 3 s of silence. */
    public static String exchange(String host, int port, byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 3000);
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    received.write(buffer, 0, n);
                    if (complete(received.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // the edge may reset after answering; what was read is the answer
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String exchange(String host, int port, String request) {
        return exchange(host, port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A response whose Content-Length body has fully arrived. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase();
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int lineEnd = head.indexOf("\r\n", at);
        long length = Long.parseLong(head.substring(at + 15, lineEnd < 0 ? head.length() : lineEnd).trim());
        return text.length() - end - 4 >= length;
    }

    public static int status(String response) {
        if (!response.startsWith("HTTP/1.1 ")) {
            throw new AssertionError("not an HTTP/1.1 response: " + response);
        }
        return Integer.parseInt(response.substring(9, 12));
    }
}
