package zoneplane.dataplane.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.ScriptedOrigin;
import zoneplane.dataplane.support.VisitorSocket;
import zoneplane.dataplane.support.Zones;

/**
 * The pooled HTTP/1.1 origin path through a real node, against origins that misbehave in ways a
 * pool must survive: a kept-alive connection closed under it, invalid answers, a fast producer.
 */
class OriginPoolThroughProxyTest {

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
            Zones.zone("prefixed.test", origin.url() + "/app/").build(),
            Zones.zone("named.test", "http://localhost:" + origin.port()).build()));

    /** Connection 0 answers once, then closes on its second request without answering; others answer. */
    private static ScriptedOrigin closingAfterOneAnswer() throws IOException {
        ScriptedOrigin[] self = new ScriptedOrigin[1];
        self[0] = new ScriptedOrigin((socket, connection) -> {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            int answered = 0;
            while (self[0].readHead(in) != null) {
                if (connection == 0 && answered == 1) {
                    return; // the idle-close race, made certain
                }
                ScriptedOrigin.write(out, ScriptedOrigin.ok(connection == 0 ? "first" : "fresh"));
                answered++;
            }
        });
        return self[0];
    }

    /**
     * Connection 0 answers its first request with {@code firstAnswer} (which may carry bytes no request
     * asked for), then sends {@code later} after a pause; any further request on it is answered
     * {@code reused}. Other connections answer {@code fresh}.
     */
    private static ScriptedOrigin answeringMoreThanAsked(String firstAnswer, String later) throws IOException {
        ScriptedOrigin[] self = new ScriptedOrigin[1];
        self[0] = new ScriptedOrigin((socket, connection) -> {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            boolean first = true;
            while (self[0].readHead(in) != null) {
                if (connection != 0) {
                    ScriptedOrigin.write(out, ScriptedOrigin.ok("fresh"));
                } else if (first) {
                    first = false;
                    ScriptedOrigin.write(out, firstAnswer);
                    if (!later.isEmpty()) {
                        sleep(200);
                        ScriptedOrigin.write(out, later);
                    }
                } else {
                    ScriptedOrigin.write(out, ScriptedOrigin.ok("reused"));
                }
            }
        });
        return self[0];
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A response the origin sends beyond what was asked (glued to the real one, bytes after a HEAD answer,
     * half a response on an idle pooled connection) answers no request: the connection is closed instead
     * of pooled, so the next visitor gets its own answer from a new connection, never that one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"glued", "head", "idle-partial", "idle-whole"})
    void bytesNoRequestAskedForCloseTheOriginConnection(String kind) throws IOException {
        String stale = ScriptedOrigin.ok("stale!");
        String firstAnswer = switch (kind) {
            case "glued" -> ScriptedOrigin.ok("first") + stale;
            case "head" -> ScriptedOrigin.ok("first");
            default -> ScriptedOrigin.ok("first");
        };
        String later = switch (kind) {
            case "idle-partial" -> "HTTP/1.1 200 OK\r\nContent-Le";
            case "idle-whole" -> stale;
            default -> "";
        };
        try (ScriptedOrigin origin = answeringMoreThanAsked(firstAnswer, later);
                VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
            String host = "unasked-" + kind + ".test";
            edge.publish(Zones.zone(host, origin.url()).build());

            VisitorSocket.Response first = kind.equals("head")
                    ? visitor.send("HEAD /one HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read(true)
                    : visitor.exchange("GET /one HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            sleep(500); // what the origin sends later has arrived
            VisitorSocket.Response second = visitor.exchange("GET /two HTTP/1.1\r\nHost: " + host + "\r\n\r\n");

            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).isEqualTo("fresh");
            assertThat(origin.connections()).isEqualTo(2);
        }
    }

    @Test
    void getOnAPooledConnectionTheOriginClosedIsRetriedOnceOnANewOne() throws IOException {
        try (ScriptedOrigin origin = closingAfterOneAnswer();
                VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
            edge.publish(Zones.zone("retry.test", origin.url()).build());

            VisitorSocket.Response first = visitor.exchange("GET /one HTTP/1.1\r\nHost: retry.test\r\n\r\n");
            VisitorSocket.Response second = visitor.exchange("GET /two HTTP/1.1\r\nHost: retry.test\r\n\r\n");

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("first");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).isEqualTo("fresh");
            assertThat(origin.requestLines()).containsExactly(
                    "GET /one HTTP/1.1", "GET /two HTTP/1.1", "GET /two HTTP/1.1");
            assertThat(origin.connections()).isEqualTo(2);
        }
    }

    @Test
    void postOnAPooledConnectionTheOriginClosedIsNotRepeated() throws IOException {
        try (ScriptedOrigin origin = closingAfterOneAnswer();
                VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
            edge.publish(Zones.zone("noretry.test", origin.url()).build());

            visitor.exchange("GET /one HTTP/1.1\r\nHost: noretry.test\r\n\r\n");
            VisitorSocket.Response post = visitor.exchange(
                    "POST /order HTTP/1.1\r\nHost: noretry.test\r\nContent-Length: 0\r\n\r\n");

            assertThat(post.status()).isEqualTo(502);
            assertThat(origin.requestLines()).containsExactly("GET /one HTTP/1.1", "POST /order HTTP/1.1");
        }
    }

    @Test
    void originAnsweringSomethingThatIsNotHttpGives502() throws IOException {
        try (ScriptedOrigin origin = new ScriptedOrigin((socket, connection) -> {
            socket.getInputStream().read(new byte[1024]);
            ScriptedOrigin.write(socket.getOutputStream(), "SSH-2.0-OpenSSH_9.2\r\n\r\n");
        })) {
            edge.publish(Zones.zone("garbage.test", origin.url()).build());

            HttpResponse<String> response = edge.get("garbage.test", "/");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains(response.headers().firstValue("cf-ray").orElseThrow());
        }
    }

    @Test
    void originWithAPathReceivesEveryTargetUnderIt() {
        edge.origin().clear();

        HttpResponse<String> response = edge.get("prefixed.test", "/x?y=1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(edge.origin().last().uri()).isEqualTo("/app/x?y=1");
    }

    @Test
    void originNamedByHostNameIsResolvedAndReached() {
        HttpResponse<String> response = edge.get("named.test", "/by-name");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(edge.origin().last().uri()).isEqualTo("/by-name");
    }

    @Test
    void aVisitorThatDoesNotReadStopsTheOriginInsteadOfFillingTheEdgesMemory() throws IOException {
        long total = 100L * 1024 * 1024;
        AtomicLong written = new AtomicLong();
        try (ScriptedOrigin origin = new ScriptedOrigin((socket, connection) -> {
            socket.getInputStream().read(new byte[4096]);
            OutputStream out = socket.getOutputStream();
            ScriptedOrigin.write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + total + "\r\n\r\n");
            byte[] chunk = new byte[64 * 1024];
            for (long sent = 0; sent < total; sent += chunk.length) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
            out.flush();
        }); Socket visitor = new Socket(InetAddress.getLoopbackAddress(), edge.httpPort())) {
            edge.publish(Zones.zone("firehose.test", origin.url()).build());
            visitor.setSoTimeout(10_000);
            visitor.getOutputStream().write("GET /big HTTP/1.1\r\nHost: firehose.test\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));

            // The visitor reads nothing: the origin must stall once the socket buffers on the way are full.
            long[] previous = {-1};
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
                long now = written.get();
                boolean stalled = now > 0 && now == previous[0];
                previous[0] = now;
                return stalled;
            });
            assertThat(written.get()).isLessThan(total / 2);

            long received = drain(visitor.getInputStream(), total);
            assertThat(received).isEqualTo(total);
            assertThat(written.get()).isEqualTo(total);
        }
    }

    /** Reads a response head and exactly {@code length} body bytes; returns the body bytes read. */
    private static long drain(InputStream in, long length) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                return -1;
            }
            matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        byte[] buffer = new byte[256 * 1024];
        long read = 0;
        while (read < length) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - read));
            if (n < 0) {
                break;
            }
            read += n;
        }
        return read;
    }

    /** One visitor connection kept alive across requests (so they share the edge's event loop and pool). */
}
