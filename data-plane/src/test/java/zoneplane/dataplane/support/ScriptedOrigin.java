package zoneplane.dataplane.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket HTTP/1.1 origin whose every connection follows a script, for behaviour a well-behaved
 * server never shows (closing a kept-alive connection, invalid answers, answering without reading).
 */
public final class ScriptedOrigin implements AutoCloseable {

    /** What one origin connection does; {@code connection} counts connections from 0. */
    public interface Script {
        void run(Socket socket, int connection) throws IOException;
    }

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public ScriptedOrigin(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    int index = connections.getAndIncrement();
                    Thread worker = new Thread(() -> {
                        try (socket) {
                            script.run(socket, index);
                        } catch (IOException ignored) {
                            // the proxy closed its side: the script is over
                        }
                    }, "scripted-origin-" + index);
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "scripted-origin-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    public List<String> requestLines() {
        return requestLines;
    }

    /** Reads one request head (no body) and records its request line; null when the peer closed. */
    public String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                String line = head.substring(0, head.indexOf("\r\n"));
                requestLines.add(line);
                return head.toString();
            }
        }
        return null;
    }

    public static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    public static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
