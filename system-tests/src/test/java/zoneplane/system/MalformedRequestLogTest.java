package zoneplane.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A visitor cannot write the node's log: requests the edge cannot decode are answered 400 (or 414,
 * 505) and leave no line behind, however many arrive (before, Reactor Netty wrote a multi-line WARN
 * for each one).
 */
class MalformedRequestLogTest {

    @RegisterExtension
    static final SystemExtension system = SystemExtension.shared();

    private static final List<String> MALFORMED = List.of(
            "GET / HTTP/1.1\r\nHost: a.example.com\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "GE\u0001T / HTTP/1.1\r\nHost: a.example.com\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a.example.com\r\nX: a\u0000b\r\n\r\n",
            "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a.example.com\r\n\r\n",
            "GET / HTTP/1.1\nHost: a.example.com\r\n\r\n",
            "\u0016\u0003\u0001\u0000\u0005hello\r\n\r\n");

    @Test
    void undecodableRequestsAreRefusedWithoutALogLineEach() throws Exception {
        EdgeNodeProcess node = system.system().node(0);
        long before = lines(node);
        int sent = 0;
        for (int round = 0; round < 25; round++) {
            for (String request : MALFORMED) {
                assertThat(statusOf(node, request)).as("answer to %s", request.substring(0, Math.min(30, request.length())))
                        .isIn(400, 414, 431, 505);
                sent++;
            }
        }
        Thread.sleep(500); // the console appender writes synchronously; this only lets stdout drain
        long added = lines(node) - before;
        System.out.printf("malformed requests: %d sent, %d log lines added%n", sent, added);
        assertThat(added).as("log lines the node wrote for %d malformed requests", sent).isLessThanOrEqualTo(5);
    }

    private static long lines(EdgeNodeProcess node) throws IOException {
        try (var stream = Files.lines(node.process().log(), StandardCharsets.ISO_8859_1)) {
            return stream.count();
        }
    }

    private static int statusOf(EdgeNodeProcess node, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("::1", node.httpPort()), 3000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            String line = new String(head, StandardCharsets.ISO_8859_1);
            return line.startsWith("HTTP/1.") ? Integer.parseInt(line.substring(9, 12)) : -1;
        }
    }
}
