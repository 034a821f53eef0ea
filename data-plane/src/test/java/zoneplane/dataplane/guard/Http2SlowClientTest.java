package zoneplane.dataplane.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.management.EdgeMetrics;
import zoneplane.dataplane.support.H2Visitor;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RecordedRequest;
import zoneplane.dataplane.support.TestTls;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.Setting;

/**
 * Slow visitors on HTTP/2 connections, frame by frame through real sockets (h2c prior knowledge and h2
 * over TLS): a stream whose body stalls gets 408 (or a reset once its response started) while the other
 * streams go on; a header block or preface that does not finish in time ends the connection with GOAWAY;
 * an idle connection is closed after the keep-alive timeout.
 */
class Http2SlowClientTest {

    private static final long HEAD_MILLIS = 500;
    private static final long BODY_MILLIS = 500;
    private static final long KEEPALIVE_MILLIS = 1_500;
    /** Timeout plus scheduling slack: the edge must have acted before this. */
    private static final Duration BOUND = Duration.ofSeconds(3);

    /** Answers at once with the start of a streamed body, and ends it only once the upload has ended. */
    private static final DisposableServer earlyOrigin = HttpServer.create()
            .bindAddress(() -> new InetSocketAddress("127.0.0.1", 0))
            .handle((req, res) -> res.sendString(Flux.concat(Mono.just("started\n"),
                    req.receive().aggregate().asString().defaultIfEmpty("").map(body -> "done\n"))))
            .bindNow();

    /** A gRPC-capable (h2c) origin that echoes the body it received once the request ended. */
    private static final DisposableServer h2cOrigin = HttpServer.create()
            .bindAddress(() -> new InetSocketAddress("127.0.0.1", 0))
            .protocol(HttpProtocol.H2C)
            .handle((req, res) -> res.header("content-type", "application/grpc")
                    .sendString(req.receive().aggregate().asString().defaultIfEmpty("")))
            .bindNow();

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build(),
                    Zones.zone("early.test", "http://127.0.0.1:" + earlyOrigin.port()).build(),
                    Zones.zone("grpc.test", "http://127.0.0.1:" + h2cOrigin.port()).set(Setting.GRPC, "on").build()))
            .env(DataPlaneConfigLoader.TLS_CERT_FILE, TestTls.certFile())
            .env(DataPlaneConfigLoader.TLS_KEY_FILE, TestTls.keyFile())
            .env(DataPlaneConfigLoader.REQUEST_HEADER_TIMEOUT, HEAD_MILLIS + "ms")
            .env(DataPlaneConfigLoader.REQUEST_BODY_TIMEOUT, BODY_MILLIS + "ms")
            .env(DataPlaneConfigLoader.KEEPALIVE_TIMEOUT, KEEPALIVE_MILLIS + "ms");

    @AfterAll
    static void stopOrigins() {
        earlyOrigin.disposeNow(Duration.ofSeconds(2));
        h2cOrigin.disposeNow(Duration.ofSeconds(2));
    }

    @BeforeEach
    void clear() {
        edge.origin().clear();
    }

    @Test
    void aStalledBodyGets408OnItsStreamWhileAnotherStreamOnTheConnectionCompletes() throws IOException {
        double timeoutsBefore = requests("a.test", 408);
        try (H2Visitor visitor = H2Visitor.cleartext(edge.httpPort()).preface()) {
            long started = System.nanoTime();
            visitor.request(1, "POST", "a.test", "/stalled", false).data(1, "ab", false);
            visitor.request(3, "POST", "a.test", "/steady", false);
            // Stream 3 sends a byte every 200 ms for 1.6 s, across stream 1's stall and its answer.
            for (int i = 0; i < 8; i++) {
                visitor.data(3, "x", false).pump(Duration.ofMillis(200));
            }
            visitor.data(3, "", true);
            H2Visitor.Stream stalled = visitor.await(1, BOUND);
            H2Visitor.Stream steady = visitor.await(3, BOUND);

            assertThat(stalled.status()).isEqualTo(408);
            assertThat(stalled.headers.get("cf-ray")).isNotNull();
            assertThat(stalled.text()).contains("The request body did not arrive in time.").contains("Ray ID");
            assertThat(millisBetween(started, stalled.doneAt)).isGreaterThanOrEqualTo(BODY_MILLIS - 50)
                    .isLessThan(BOUND.toMillis());
            assertThat(steady.status()).isEqualTo(200);
            assertThat(steady.text()).isEqualTo("ok 8");
            assertThat(visitor.goAwayCode()).isNull();
            assertThat(visitor.closed()).isFalse();
        }
        assertThat(edge.origin().requests()).extracting(RecordedRequest::uri).containsExactly("/steady");
        // The same counter, with the same labels, as an HTTP/1.1 body timeout.
        await().atMost(Duration.ofSeconds(5)).until(() -> requests("a.test", 408) == timeoutsBefore + 1);
    }

    @Test
    void aSlowButSteadyUploadLongerThanTheBodyTimeoutIsServed() throws IOException {
        try (H2Visitor visitor = H2Visitor.cleartext(edge.httpPort()).preface()) {
            visitor.request(1, "POST", "a.test", "/steady-alone", false);
            // Eight DATA frames 300 ms apart: 2.4 s in all, never a gap near the 500 ms limit.
            for (int i = 0; i < 8; i++) {
                visitor.data(1, "x", false).pump(Duration.ofMillis(300));
            }
            visitor.data(1, "", true);
            H2Visitor.Stream steady = visitor.await(1, BOUND);

            assertThat(steady.resetCode).isNull();
            assertThat(steady.status()).isEqualTo(200);
            assertThat(steady.text()).isEqualTo("ok 8");
        }
        assertThat(edge.origin().last().body()).hasSize(8);
    }

    @Test
    void aBodyStallingAfterTheResponseStartedResetsOnlyItsStream() throws IOException {
        try (H2Visitor visitor = H2Visitor.cleartext(edge.httpPort()).preface()) {
            long started = System.nanoTime();
            visitor.request(1, "POST", "early.test", "/early", false).data(1, "abc", false);
            H2Visitor.Stream early = visitor.await(1, BOUND);

            assertThat(early.status()).isEqualTo(200);
            assertThat(early.text()).isEqualTo("started\n");
            assertThat(early.ended).isFalse();
            assertThat(early.resetCode).isEqualTo(H2Visitor.CANCEL);
            assertThat(millisBetween(started, early.doneAt)).isGreaterThanOrEqualTo(BODY_MILLIS - 50)
                    .isLessThan(BOUND.toMillis());

            H2Visitor.Stream after = visitor.request(3, "GET", "a.test", "/after-reset", true).await(3, BOUND);
            assertThat(after.status()).isEqualTo(200);
        }
    }

    @Test
    void aHeaderBlockTrickledInContinuationFramesEndsTheConnectionWithGoAway() throws IOException {
        double lateHeadsBefore = requests(EdgeMetrics.NO_ZONE, 408);
        try (H2Visitor visitor = H2Visitor.cleartext(edge.httpPort()).preface()) {
            byte[] block = visitor.headerBlock(H2Visitor.headers("GET", "a.test", "/trickled").add("x-padding", "p".repeat(400)));
            long started = System.nanoTime();
            visitor.frame(Http2FrameTypes.HEADERS, 0, 1, Arrays.copyOfRange(block, 0, 20));
            int continuations = 0;
            // 20 bytes every 150 ms, never the last piece: without a bound this would take 3 s and never end.
            for (int sent = 20; sent + 20 < block.length && !visitor.pump(Duration.ofMillis(150)).closed(); sent += 20) {
                try {
                    visitor.frame(Http2FrameTypes.CONTINUATION, 0, 1, Arrays.copyOfRange(block, sent, sent + 20));
                    continuations++;
                } catch (IOException closedMeanwhile) {
                    break;
                }
            }
            assertThat(visitor.awaitClose(BOUND)).isTrue();
            long elapsed = millisBetween(started, System.nanoTime());

            assertThat(visitor.goAwayCode()).isZero();
            assertThat(visitor.goAwayDebug()).isEqualTo("request header timeout");
            // Netty itself gives up on a header block after 16 small CONTINUATION frames: this bound came first.
            assertThat(continuations).isLessThan(16);
            assertThat(elapsed).isGreaterThanOrEqualTo(HEAD_MILLIS - 50).isLessThan(BOUND.toMillis());
        }
        assertThat(edge.origin().requests()).isEmpty();
        // Counted as a late HTTP/1.1 head is: 408, no zone.
        await().atMost(Duration.ofSeconds(5)).until(() -> requests(EdgeMetrics.NO_ZONE, 408) >= lateHeadsBefore + 1);
    }

    @Test
    void anH2cConnectionThatSendsOnlyThePrefaceIsClosedWithGoAway() throws IOException {
        try (H2Visitor visitor = H2Visitor.cleartext(edge.httpPort())) {
            long started = System.nanoTime();
            visitor.prefaceOnly();

            assertThat(visitor.awaitClose(BOUND)).isTrue();
            assertThat(millisBetween(started, System.nanoTime())).isGreaterThanOrEqualTo(HEAD_MILLIS - 50);
            assertThat(visitor.goAwayDebug()).isEqualTo("request header timeout");
        }
    }

    @Test
    void anH2cUpgradeWhosePrefaceNeverFollowsIsClosedWithGoAway() throws IOException {
        try (H2Visitor visitor = H2Visitor.cleartext(edge.httpPort())) {
            assertThat(visitor.upgrade("a.test", "/upgraded")).startsWith("HTTP/1.1 101 ");
            long upgraded = System.nanoTime();

            // The edge answers the upgrade request on stream 1, then waits for a preface that never comes.
            assertThat(visitor.awaitClose(BOUND)).isTrue();
            assertThat(visitor.stream(1).status()).isEqualTo(200);
            assertThat(millisBetween(upgraded, System.nanoTime())).isGreaterThanOrEqualTo(HEAD_MILLIS - 50);
            assertThat(visitor.goAwayDebug()).isEqualTo("request header timeout");
        }
    }

    @Test
    void anH2ConnectionOverTlsThatNeverSendsItsPrefaceIsClosedWithGoAway() throws IOException {
        try (H2Visitor visitor = H2Visitor.tls(edge.node().httpsPort(), TestTls.client())) {
            long started = System.nanoTime();

            assertThat(visitor.awaitClose(BOUND)).isTrue();
            assertThat(millisBetween(started, System.nanoTime())).isGreaterThanOrEqualTo(HEAD_MILLIS - 100);
            assertThat(visitor.goAwayDebug()).isEqualTo("request header timeout");
        }
    }

    @Test
    void aStalledBodyOverTlsGets408AndTheConnectionServesOn() throws IOException {
        try (H2Visitor visitor = H2Visitor.tls(edge.node().httpsPort(), TestTls.client()).preface()) {
            visitor.request(1, "POST", "a.test", "/tls-stalled", false).data(1, "ab", false);
            H2Visitor.Stream stalled = visitor.await(1, BOUND);

            assertThat(stalled.status()).isEqualTo(408);
            H2Visitor.Stream after = visitor.request(3, "GET", "a.test", "/tls-after", true).await(3, BOUND);
            assertThat(after.status()).isEqualTo(200);
        }
        assertThat(edge.origin().requests()).extracting(RecordedRequest::uri).containsExactly("/tls-after");
    }

    @Test
    void anIdleH2ConnectionIsClosedWithGoAwayAfterTheKeepAliveTimeout() throws IOException {
        try (H2Visitor visitor = H2Visitor.cleartext(edge.httpPort()).preface()) {
            H2Visitor.Stream first = visitor.request(1, "GET", "a.test", "/before-idle", true).await(1, BOUND);
            assertThat(first.status()).isEqualTo(200);
            long idleFrom = System.nanoTime();

            assertThat(visitor.awaitClose(Duration.ofMillis(KEEPALIVE_MILLIS).plus(BOUND))).isTrue();
            assertThat(millisBetween(idleFrom, System.nanoTime())).isGreaterThanOrEqualTo(KEEPALIVE_MILLIS - 100);
            assertThat(visitor.goAwayCode()).isZero();
            assertThat(visitor.goAwayDebug()).isEqualTo("idle");
        }
    }

    @Test
    void aGrpcStreamMayPauseLongerThanTheBodyTimeout() throws IOException {
        try (H2Visitor visitor = H2Visitor.cleartext(edge.httpPort()).preface()) {
            visitor.request(1, H2Visitor.headers("POST", "grpc.test", "/echo.Echo/Stream")
                            .add("content-type", "application/grpc"), false)
                    .data(1, "one", false).pump(Duration.ofMillis(2 * BODY_MILLIS));
            H2Visitor.Stream grpc = visitor.data(1, "two", true).await(1, BOUND);

            assertThat(grpc.resetCode).isNull();
            assertThat(grpc.status()).isEqualTo(200);
            assertThat(grpc.text()).isEqualTo("onetwo");
        }
    }

    private static double requests(String zone, int status) {
        Counter counter = edge.node().meterRegistry().find("zoneplane.edge.requests")
                .tags("zone", zone, "status", Integer.toString(status)).counter();
        return counter == null ? 0 : counter.count();
    }

    private static long millisBetween(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }
}
