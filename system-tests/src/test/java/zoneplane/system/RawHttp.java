package zoneplane.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Bytes on a socket, for what a well-behaved client library will not send (smuggling attempts, broken
 * frames, PROXY headers) and for precise control over connections (a load balancer's view of a drain).
 */
final class RawHttp {

    private RawHttp() {}

    /** What came back on one connection: the bytes, and whether the peer closed it (EOF) within the wait. */
    record Exchange(byte[] bytes, boolean closedByPeer) {

        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        /** The status of the first response, or -1 when no status line arrived. */
        int status() {
            String t = text();
            if (!t.startsWith("HTTP/1.")) {
                return -1;
            }
            int sp = t.indexOf(' ');
            return Integer.parseInt(t.substring(sp + 1, sp + 4));
        }

        /** How many responses (status lines at line starts) the connection carried. */
        int responses() {
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

    static Socket connect(int port, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("::1", port), 2000);
        socket.setSoTimeout(readTimeoutMillis);
        return socket;
    }

    /** Sends {@code request} on a new connection and reads until the peer closes it or {@code waitMillis} passes. */
    static Exchange exchange(int port, byte[] request, int waitMillis) throws IOException {
        try (Socket socket = connect(port, waitMillis)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return readUntilClosed(socket, waitMillis);
        }
    }

    static Exchange exchange(int port, String request, int waitMillis) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), waitMillis);
    }

    /** Reads until EOF, a reset, or until nothing more arrives for the socket's timeout (bounded by {@code maxMillis}). */
    static Exchange readUntilClosed(Socket socket, int maxMillis) throws IOException {
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
}
