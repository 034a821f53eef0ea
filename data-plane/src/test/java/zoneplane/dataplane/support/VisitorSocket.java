package zoneplane.dataplane.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One kept-alive visitor connection to the edge, written and read byte by byte as HTTP/1.1 puts them
 * on the wire: several requests on one connection, pipelining, interim responses, framing checks.
 */
public final class VisitorSocket implements AutoCloseable {

    /** One response as read: its head (status line and headers, without the blank line) and body. */
    public record Response(String head, String body) {

        public int status() {
            return Integer.parseInt(head.substring(9, 12));
        }

        /** The first value of header {@code name} (case-insensitive), or null. */
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private final Socket socket;
    private final InputStream in;

    public VisitorSocket(int port) throws IOException {
        this(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** Over a socket the test connected itself (from a chosen local address, say). */
    public VisitorSocket(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    public VisitorSocket send(String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** Sends one request and reads one response. */
    public Response exchange(String request) throws IOException {
        return send(request).read();
    }

    /**
     * Reads one response: its body by Content-Length, by chunked coding, or (neither) until the edge
     * closes; with {@code bodiless} (an answer to HEAD, or a 1xx) only the head.
     */
    public Response read(boolean bodiless) throws IOException {
        String head = readLine();
        String line;
        StringBuilder headers = new StringBuilder(head);
        while (!(line = readLine()).isEmpty()) {
            headers.append("\r\n").append(line);
        }
        Response response = new Response(headers.toString(), "");
        int status = response.status();
        if (bodiless || status / 100 == 1 || status == 204 || status == 304) {
            return response;
        }
        String length = response.header("Content-Length");
        String coding = response.header("Transfer-Encoding");
        byte[] body;
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if (coding != null && coding.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = readChunked();
        } else {
            body = in.readAllBytes();
        }
        return new Response(response.head(), new String(body, StandardCharsets.ISO_8859_1));
    }

    public Response read() throws IOException {
        return read(false);
    }

    /** Whether the edge has closed the connection: a read sees its end (or a reset) within the socket timeout. */
    public boolean closedByEdge() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine();
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (length == 0) {
                while (!readLine().isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            readLine();
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(c);
        }
        throw new IOException("the edge closed the connection after: " + line.toString(StandardCharsets.ISO_8859_1));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
