package zoneplane.dataplane.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.WebSocketRecorder;
import zoneplane.dataplane.support.Zones;

/**
 * Slow clients (slowloris) through real sockets: a visitor that trickles its request head or pauses in
 * its body is answered 408 and cut off within the configured bound, and the origin never gets the request.
 */
class SlowClientTest {

    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(1);
    /** Timeout plus scheduling slack: the answer must come before this. */
    private static final long BOUND_MILLIS = 3_000;

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build(),
                    Zones.zone("127.0.0.1", origin.url()).build()))
            .env(DataPlaneConfigLoader.REQUEST_HEADER_TIMEOUT, "1s")
            .env(DataPlaneConfigLoader.REQUEST_BODY_TIMEOUT, "1s");

    @BeforeEach
    void clear() {
        edge.origin().clear();
    }

    @Test
    void tricklingHeaderLinesGets408AndCloseWithinTheBoundWhileOthersAreServed() throws IOException {
        try (Visitor slow = Visitor.connect()) {
            long started = System.nanoTime();
            slow.write("GET / HTTP/1.1\r\nHost: a.test\r\n");
            String answer = "";
            // One header line every 100 ms: every byte resets an idle timer, none may reset the head timer.
            for (int line = 0; line < 100 && answer.isEmpty(); line++) {
                slow.write("X-Slow-" + line + ": x\r\n");
                answer = slow.readFor(Duration.ofMillis(100));
                if (line == 3) {
                    HttpResponse<String> normal = edge.get("a.test", "/normal");
                    assertThat(normal.statusCode()).isEqualTo(200);
                }
            }
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            answer += slow.readUntilClosed(Duration.ofSeconds(3));
            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("Ray ID").contains("CF-Ray: ");
            assertThat(slow.closed()).isTrue();
            assertThat(elapsed).isGreaterThanOrEqualTo(HEADER_TIMEOUT.toMillis() - 50).isLessThan(BOUND_MILLIS);
        }
        assertThat(edge.origin().requests()).extracting(r -> r.uri()).containsExactly("/normal");
    }

    @Test
    void tricklingOneByteAtATimeGets408() throws IOException {
        byte[] head = "GET /trickle HTTP/1.1\r\nHost: a.test\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        try (Visitor slow = Visitor.connect()) {
            long started = System.nanoTime();
            String answer = "";
            for (int i = 0; i < head.length && answer.isEmpty(); i++) {
                slow.write(new String(head, i, 1, StandardCharsets.ISO_8859_1));
                answer = slow.readFor(Duration.ofMillis(50));
            }
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertThat(elapsed).isLessThan(BOUND_MILLIS);
            slow.readUntilClosed(Duration.ofSeconds(3));
            assertThat(slow.closed()).isTrue();
        }
        assertThat(edge.origin().requests()).isEmpty();
    }

    @Test
    void aConnectionThatSendsNothingGets408() throws IOException {
        try (Visitor silent = Visitor.connect()) {
            long started = System.nanoTime();
            String answer = silent.readUntilClosed(Duration.ofMillis(BOUND_MILLIS));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("Connection: close");
            assertThat(silent.closed()).isTrue();
            assertThat(elapsed).isLessThan(BOUND_MILLIS);
        }
    }

    @Test
    void pausingInsideABodyGets408AndTheOriginNeverGetsTheRequest() throws IOException {
        try (Visitor slow = Visitor.connect()) {
            long started = System.nanoTime();
            slow.write("POST /upload HTTP/1.1\r\nHost: a.test\r\nContent-Length: 10\r\n\r\nab");
            String answer = slow.readUntilClosed(Duration.ofMillis(BOUND_MILLIS));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("The request body did not arrive in time.");
            assertThat(slow.closed()).isTrue();
            assertThat(elapsed).isGreaterThanOrEqualTo(BODY_TIMEOUT.toMillis() - 50).isLessThan(BOUND_MILLIS);
        }
        assertThat(edge.origin().requests()).isEmpty();
    }

    @Test
    void pausingInsideAChunkedBodyGets408() throws IOException {
        try (Visitor slow = Visitor.connect()) {
            slow.write("POST /upload HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n");
            String answer = slow.readUntilClosed(Duration.ofMillis(BOUND_MILLIS));

            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertThat(slow.closed()).isTrue();
        }
        assertThat(edge.origin().requests()).isEmpty();
    }

    @Test
    void aSlowButSteadyBodyLongerThanTheTimeoutIsServed() throws IOException {
        try (Visitor steady = Visitor.connect()) {
            steady.write("POST /steady HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n");
            // Eight chunks 300 ms apart: 2.4 s in all, never a gap near the 1 s limit.
            for (int i = 0; i < 8; i++) {
                steady.write("1\r\nx\r\n");
                assertThat(steady.readFor(Duration.ofMillis(300))).isEmpty();
            }
            steady.write("0\r\n\r\n");
            String answer = steady.readFor(Duration.ofSeconds(3));

            assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("ok 8");
        }
        assertThat(edge.origin().last().body()).hasSize(8);
    }

    @Test
    void anIdleKeepAliveConnectionIsNotCutByTheHeaderTimeout() throws IOException {
        try (Visitor visitor = Visitor.connect()) {
            visitor.write("GET /first HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertThat(visitor.readFor(Duration.ofSeconds(3))).startsWith("HTTP/1.1 200 ");

            // Idle between requests for twice the head timeout: the idle timeout governs this, not the head timer.
            assertThat(visitor.readFor(Duration.ofMillis(2 * HEADER_TIMEOUT.toMillis()))).isEmpty();
            assertThat(visitor.closed()).isFalse();

            visitor.write("GET /second HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertThat(visitor.readFor(Duration.ofSeconds(3))).startsWith("HTTP/1.1 200 ");
        }
        assertThat(edge.origin().requests()).extracting(r -> r.uri()).containsExactly("/first", "/second");
    }

    @Test
    void aWebSocketQuietLongerThanTheHeaderTimeoutKeepsRunning() throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Host", "a.test")
                .buildAsync(URI.create("ws://127.0.0.1:" + edge.httpPort() + "/ws"), recorder)
                .get(10, TimeUnit.SECONDS);
        // Frames 600 ms apart for 2.4 s: bytes after the 101 are frames, never the start of a request head.
        for (int i = 0; i < 4; i++) {
            Mono.delay(Duration.ofMillis(600)).block();
            ws.sendText("m" + i, true).get(5, TimeUnit.SECONDS);
            assertThat(recorder.texts.poll(5, TimeUnit.SECONDS)).isEqualTo("m" + i);
        }
        assertThat(recorder.closeCode).isNotDone();
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }

    @Test
    void anH2cPriorKnowledgeConnectionOutlivesTheHeaderTimeout() {
        reactor.netty.http.client.HttpClient h2c = reactor.netty.http.client.HttpClient.create()
                .protocol(HttpProtocol.H2C)
                .headers(h -> h.set("Host", "a.test"))
                .responseTimeout(Duration.ofSeconds(5));
        // Requests 600 ms apart on one HTTP/2 connection: 2.4 s in all, more than twice the head timeout.
        List<Integer> statuses = Flux.range(0, 4)
                .concatMap(i -> Mono.delay(Duration.ofMillis(600))
                        .then(h2c.get().uri("http://127.0.0.1:" + edge.httpPort() + "/h2c-" + i)
                                .responseSingle((res, body) -> Mono.just(res.status().code()))))
                .collectList()
                .block(Duration.ofSeconds(20));

        assertThat(statuses).containsExactly(200, 200, 200, 200);
    }

    @Test
    void anH2cUpgradedConnectionOutlivesTheHeaderTimeout() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 4; i++) {
            Mono.delay(Duration.ofMillis(600)).block();
            HttpResponse<String> response = h2.send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + edge.httpPort() + "/upgraded-" + i))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
    }

    /** A raw TCP visitor that writes exactly what it is given and reads with deadlines. */
    private static final class Visitor implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private boolean closed;

        private Visitor(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
        }

        static Visitor connect() throws IOException {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", edge.httpPort()), 3000);
            return new Visitor(socket);
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** What arrives within {@code window} (stops early once the peer goes quiet after sending something). */
        String readFor(Duration window) throws IOException {
            return read(window, false);
        }

        /** Everything until the peer closes, or what arrived when {@code limit} passes. */
        String readUntilClosed(Duration limit) throws IOException {
            return read(limit, true);
        }

        private String read(Duration window, boolean untilClosed) throws IOException {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            long deadline = System.nanoTime() + window.toNanos();
            byte[] buffer = new byte[8192];
            while (!closed) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                socket.setSoTimeout((int) (received.size() > 0 && !untilClosed ? Math.min(left, 100) : left));
                try {
                    int n = in.read(buffer);
                    if (n < 0) {
                        closed = true;
                    } else {
                        received.write(buffer, 0, n);
                    }
                } catch (SocketTimeoutException e) {
                    if (received.size() > 0 && !untilClosed) {
                        break;
                    }
                } catch (SocketException e) {
                    closed = true; // reset
                }
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }

        boolean closed() {
            return closed;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
