package zoneplane.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2FrameTypes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.H2Visitor;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.TestTls;
import zoneplane.dataplane.support.VisitorSocket;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.Setting;

/**
 * The keep-alive timeout counts only time a connection has nothing in progress: a request waiting for an
 * origin slower than the keep-alive timeout (but within the origin response timeout) gets its answer, on
 * HTTP/2 (h2c by prior knowledge or upgrade, h2 over TLS) and on both HTTP/1.1 paths, and the idle clock
 * starts when the answer is complete. On HTTP/2 only open streams count: PINGs do not keep a connection open. Through real sockets, against an origin that answers after {@link #ORIGIN_DELAY}.
 */
class KeepAliveWhileOriginIsSlowTest {

    private static final long KEEPALIVE_MILLIS = 500;
    private static final Duration ORIGIN_DELAY = Duration.ofMillis(1_500);
    /** Scheduling slack: the edge must have acted this long after it was due. */
    private static final Duration BOUND = Duration.ofSeconds(3);

    /** Answers every request, and every WebSocket handshake, only after {@link #ORIGIN_DELAY}. */
    private static final DisposableServer slowOrigin = HttpServer.create()
            .bindAddress(() -> new InetSocketAddress("127.0.0.1", 0))
            .handle((req, res) -> Mono.delay(ORIGIN_DELAY).then(Mono.defer(() -> req.requestHeaders().contains("Upgrade")
                    ? res.sendWebsocket((in, out) -> out.send(in.receive().retain()))
                    : res.sendString(Mono.just("late answer")).then())))
            .bindNow();

    private static final String SLOW = "slow.test";

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
                    Zones.zone(SLOW, "http://127.0.0.1:" + slowOrigin.port()).set(Setting.WEBSOCKETS, "on").build()))
            .env(DataPlaneConfigLoader.TLS_CERT_FILE, TestTls.certFile())
            .env(DataPlaneConfigLoader.TLS_KEY_FILE, TestTls.keyFile())
            .env(DataPlaneConfigLoader.KEEPALIVE_TIMEOUT, KEEPALIVE_MILLIS + "ms")
            .env(DataPlaneConfigLoader.ORIGIN_RESPONSE_TIMEOUT, "10s");

    /** The same node with every HTTP/1.1 request on Reactor Netty's path. */
    @RegisterExtension
    static ProxyExtension reactorEdge = ProxyExtension.zones(origin -> List.of(
                    Zones.zone(SLOW, "http://127.0.0.1:" + slowOrigin.port()).build()))
            .env(DataPlaneConfigLoader.HTTP1_FAST_PATH, "false")
            .env(DataPlaneConfigLoader.KEEPALIVE_TIMEOUT, KEEPALIVE_MILLIS + "ms")
            .env(DataPlaneConfigLoader.ORIGIN_RESPONSE_TIMEOUT, "10s");

    @AfterAll
    static void stopOrigin() {
        slowOrigin.disposeNow(Duration.ofSeconds(2));
    }

    @Test
    void anH2cStreamWaitingForASlowOriginGetsItsAnswerAndTheIdleClockStartsAfterIt() throws IOException {
        try (H2Visitor visitor = H2Visitor.cleartext(edge.httpPort()).preface()) {
            assertStreamOutlivesKeepAlive(visitor);
        }
    }

    @Test
    void anH2StreamOverTlsWaitingForASlowOriginGetsItsAnswerAndTheIdleClockStartsAfterIt() throws IOException {
        try (H2Visitor visitor = H2Visitor.tls(edge.node().httpsPort(), TestTls.client()).preface()) {
            assertStreamOutlivesKeepAlive(visitor);
        }
    }

    @Test
    void anH2cUpgradeRequestWaitingForASlowOriginGetsItsAnswerAndTheIdleClockStartsAfterIt() throws IOException {
        try (H2Visitor visitor = H2Visitor.cleartext(edge.httpPort())) {
            long started = System.nanoTime();
            assertThat(visitor.upgrade(SLOW, "/late")).startsWith("HTTP/1.1 101 ");
            // The upgrade request is stream 1, answered over HTTP/2 once the origin has.
            H2Visitor.Stream late = visitor.preface().await(1, ORIGIN_DELAY.plus(BOUND));

            assertThat(late.status()).as("GOAWAY %s, connection closed %s", visitor.goAwayCode(), visitor.closed())
                    .isEqualTo(200);
            assertThat(late.text()).isEqualTo("late answer");
            assertThat(millisSince(started)).isGreaterThanOrEqualTo(ORIGIN_DELAY.toMillis() - 50);
            assertClosedWhenIdle(visitor);
        }
    }

    @Test
    void anHttp1RequestWaitingForASlowOriginGetsItsAnswerOnThePlainPath() throws IOException {
        assertHttp1RequestOutlivesKeepAlive(edge.httpPort());
    }

    @Test
    void anHttp1RequestWaitingForASlowOriginGetsItsAnswerOnReactorNettysPath() throws IOException {
        assertHttp1RequestOutlivesKeepAlive(reactorEdge.httpPort());
    }

    @Test
    void aWebSocketHandshakeWaitingForASlowOriginGetsThe101() throws IOException {
        try (VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
            long started = System.nanoTime();
            VisitorSocket.Response handshake = visitor.send("GET /ws HTTP/1.1\r\nHost: " + SLOW + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").read(true);

            assertThat(handshake.status()).isEqualTo(101);
            assertThat(millisSince(started)).isGreaterThanOrEqualTo(ORIGIN_DELAY.toMillis() - 50);
        }
    }

    @Test
    void pingsOnAConnectionWithNoOpenStreamDoNotKeepItOpenPastTheKeepAliveTimeout() throws IOException {
        try (H2Visitor visitor = H2Visitor.cleartext(edge.httpPort()).preface()) {
            long idleFrom = System.nanoTime();
            // A PING every 200 ms (each answered by the edge) for 4 s, longer than keep-alive plus slack.
            boolean closed = false;
            for (int i = 0; i < 20 && !closed; i++) {
                try {
                    closed = visitor.frame(Http2FrameTypes.PING, 0, 0, new byte[8]).pump(Duration.ofMillis(200)).closed();
                } catch (IOException closedMeanwhile) {
                    closed = true;
                }
            }
            long elapsed = millisSince(idleFrom);

            assertThat(closed).as("closed while the PINGs went on, after %d ms", elapsed).isTrue();
            assertThat(visitor.goAwayCode()).isZero();
            assertThat(visitor.goAwayDebug()).isEqualTo("idle");
            assertThat(elapsed).isGreaterThanOrEqualTo(KEEPALIVE_MILLIS - 100)
                    .isLessThan(KEEPALIVE_MILLIS + BOUND.toMillis());
        }
    }

    private static void assertStreamOutlivesKeepAlive(H2Visitor visitor) throws IOException {
        long started = System.nanoTime();
        H2Visitor.Stream late = visitor.request(1, "GET", SLOW, "/late", true).await(1, ORIGIN_DELAY.plus(BOUND));

        assertThat(late.status()).as("GOAWAY %s, connection closed %s, after %d ms", visitor.goAwayCode(),
                visitor.closed(), millisSince(started)).isEqualTo(200);
        assertThat(late.text()).isEqualTo("late answer");
        assertThat(millisSince(started)).isGreaterThanOrEqualTo(ORIGIN_DELAY.toMillis() - 50);
        assertClosedWhenIdle(visitor);
    }

    /** Nothing was announced while a stream was open; the idle clock runs from the end of the last one. */
    private static void assertClosedWhenIdle(H2Visitor visitor) throws IOException {
        assertThat(visitor.goAwayCode()).isNull();
        assertThat(visitor.closed()).isFalse();

        long idleFrom = System.nanoTime();
        assertThat(visitor.awaitClose(Duration.ofMillis(KEEPALIVE_MILLIS).plus(BOUND))).isTrue();
        assertThat(millisSince(idleFrom)).isGreaterThanOrEqualTo(KEEPALIVE_MILLIS - 100);
        assertThat(visitor.goAwayCode()).isZero();
        assertThat(visitor.goAwayDebug()).isEqualTo("idle");
    }

    private static void assertHttp1RequestOutlivesKeepAlive(int port) throws IOException {
        try (VisitorSocket visitor = new VisitorSocket(port)) {
            long started = System.nanoTime();
            VisitorSocket.Response late = visitor.exchange("GET /late HTTP/1.1\r\nHost: " + SLOW + "\r\n\r\n");

            assertThat(late.status()).isEqualTo(200);
            assertThat(late.body()).isEqualTo("late answer");
            assertThat(millisSince(started)).isGreaterThanOrEqualTo(ORIGIN_DELAY.toMillis() - 50);
            long idleFrom = System.nanoTime();
            assertThat(visitor.closedByEdge()).isTrue();
            assertThat(millisSince(idleFrom)).isGreaterThanOrEqualTo(KEEPALIVE_MILLIS - 100)
                    .isLessThan(KEEPALIVE_MILLIS + BOUND.toMillis());
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
