package zoneplane.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.ScriptedOrigin;
import zoneplane.dataplane.support.VisitorSocket;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.Plan;

/**
 * The plain HTTP/1.1 visitor path ({@link VisitorConnection}, {@link Http1Exchange}) on the wire:
 * several requests on one connection, pipelining, the hand-over to Reactor Netty for upgrades,
 * interim responses, HTTP/1.0, HEAD, framing of streamed answers and the keep-alive timeout.
 */
class VisitorConnectionTest {

    private static final long MB = 1024 * 1024;

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
                    Zones.zone("a.test", origin.url()).plan(Plan.FREE).build()))
            .env(DataPlaneConfigLoader.KEEPALIVE_TIMEOUT, "1500ms");

    @BeforeEach
    void clear() {
        edge.origin().clear();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws IOException {
        try (VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
            visitor.send(post("/1", "a") + post("/2", "bb") + "GET /3 HTTP/1.1\r\nHost: a.test\r\n\r\n"
                    + post("/4", "dddd"));

            assertThat(List.of(visitor.read().body(), visitor.read().body(), visitor.read().body(),
                    visitor.read().body())).containsExactly("ok 1", "ok 2", "ok 0", "ok 4");
        }
        assertThat(edge.origin().requests()).extracting(r -> r.uri()).containsExactly("/1", "/2", "/3", "/4");
    }

    @Test
    void aWebSocketUpgradeAfterOrdinaryRequestsIsHandedToReactorNetty() throws IOException {
        try (VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
            assertThat(visitor.exchange("GET /before HTTP/1.1\r\nHost: a.test\r\n\r\n").status()).isEqualTo(200);

            VisitorSocket.Response upgrade = visitor.exchange("GET /ws HTTP/1.1\r\nHost: a.test\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");

            assertThat(upgrade.status()).isEqualTo(101);
            assertThat(upgrade.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        }
        assertThat(edge.origin().requests()).extracting(r -> r.uri()).containsExactly("/before", "/ws");
    }

    @Test
    void anH2cUpgradeOnALaterRequestIsAnsweredInHttp11() throws IOException {
        try (VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
            assertThat(visitor.exchange("GET /first HTTP/1.1\r\nHost: a.test\r\n\r\n").status()).isEqualTo(200);

            // h2c upgrades come with a connection's first request; later, Upgrade may be ignored (RFC 9110 §7.8).
            VisitorSocket.Response late = visitor.exchange("GET /late HTTP/1.1\r\nHost: a.test\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");

            assertThat(late.head()).startsWith("HTTP/1.1 200");
            assertThat(late.body()).isEqualTo("ok 0");
        }
        assertThat(edge.origin().last().headers().get("Upgrade")).isNull();
    }

    @Test
    void expectContinueGets100ThenTheOriginsAnswer() throws IOException {
        try (VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
            visitor.send("POST /upload HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(visitor.read().status()).isEqualTo(100);

            VisitorSocket.Response answer = visitor.send("hello").read();

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("ok 5");
            assertThat(visitor.exchange("GET /next HTTP/1.1\r\nHost: a.test\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void expectContinueForATooLargeBodyGets413WithoutContinueAndTheConnectionCloses() throws IOException {
        try (VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
            VisitorSocket.Response refused = visitor.exchange("POST /upload HTTP/1.1\r\nHost: a.test\r\n"
                    + "Content-Length: " + (100 * MB + 1) + "\r\nExpect: 100-continue\r\n\r\n");

            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.header("Connection")).isEqualTo("close");
            assertThat(visitor.closedByEdge()).isTrue();
        }
        assertThat(edge.origin().requests()).isEmpty();
    }

    @Test
    void aRefusedRequestWithoutBodyKeepsTheConnection() throws IOException {
        try (VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
            VisitorSocket.Response unknown = visitor.exchange("GET / HTTP/1.1\r\nHost: unknown.test\r\n\r\n");
            VisitorSocket.Response known = visitor.exchange("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n");

            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.header("CF-Ray")).isNotBlank();
            assertThat(known.status()).isEqualTo(200);
        }
    }

    @Test
    void http10GetsALengthAndTheConnectionClosesUnlessKeptAlive() throws IOException {
        try (VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
            VisitorSocket.Response kept = visitor.exchange(
                    "GET /kept HTTP/1.0\r\nHost: a.test\r\nConnection: keep-alive\r\n\r\n");
            assertThat(kept.head()).startsWith("HTTP/1.1 200");
            assertThat(kept.header("Connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(kept.body()).isEqualTo("ok 0");

            VisitorSocket.Response last = visitor.exchange("GET /last HTTP/1.0\r\nHost: a.test\r\n\r\n");
            assertThat(last.header("Connection")).isEqualTo("close");
            assertThat(last.body()).isEqualTo("ok 0");
            assertThat(visitor.closedByEdge()).isTrue();
        }
    }

    @Test
    void headGetsTheHeadersWithoutABodyAndTheConnectionStaysInStep() throws IOException {
        try (VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
            VisitorSocket.Response head = visitor.send("HEAD /big?n=5000 HTTP/1.1\r\nHost: a.test\r\n\r\n").read(true);
            VisitorSocket.Response after = visitor.exchange("GET /after HTTP/1.1\r\nHost: a.test\r\n\r\n");

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("5000");
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.body()).isEqualTo("ok 0");
        }
    }

    @Test
    void aStreamedAnswerWithoutLengthIsChunkedForHttp11AndEndsTheConnectionForHttp10() throws IOException {
        try (ScriptedOrigin origin = new ScriptedOrigin(VisitorConnectionTest::answerInTwoChunks)) {
            edge.publish(Zones.zone("chunks.test", origin.url()).build());
            try (VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
                VisitorSocket.Response http11 = visitor.exchange("GET / HTTP/1.1\r\nHost: chunks.test\r\n\r\n");

                assertThat(http11.header("Transfer-Encoding")).isEqualTo("chunked");
                assertThat(http11.body()).isEqualTo("first-second");

                VisitorSocket.Response http10 = visitor.exchange(
                        "GET / HTTP/1.0\r\nHost: chunks.test\r\nConnection: keep-alive\r\n\r\n");

                assertThat(http10.header("Transfer-Encoding")).isNull();
                assertThat(http10.header("Connection")).isEqualTo("close");
                assertThat(http10.body()).isEqualTo("first-second"); // read until the edge closed
            }
        }
    }

    /** Answers each request chunked, in two writes with a pause, so the edge sees the body in parts. */
    private static void answerInTwoChunks(java.net.Socket socket, int connection) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        while (readHead(in)) {
            ScriptedOrigin.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nfirst-\r\n");
            pause(100);
            ScriptedOrigin.write(out, "6\r\nsecond\r\n0\r\n\r\n");
        }
    }

    @Test
    void connectionCloseFromTheVisitorIsAnsweredAndHonoured() throws IOException {
        try (VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
            VisitorSocket.Response last = visitor.exchange(
                    "GET /bye HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");

            assertThat(last.status()).isEqualTo(200);
            assertThat(last.header("Connection")).isEqualTo("close");
            assertThat(visitor.closedByEdge()).isTrue();
        }
    }

    @Test
    void anOriginAnsweringBeforeTheBodyEndsLeavesTheVisitorConnectionUsable() throws IOException {
        try (ScriptedOrigin origin = new ScriptedOrigin((socket, connection) -> {
            // Refuses at once, without reading the body, and closes (as a server rejecting an upload does).
            if (readHead(socket.getInputStream())) {
                ScriptedOrigin.write(socket.getOutputStream(),
                        "HTTP/1.1 403 Forbidden\r\nContent-Length: 6\r\nConnection: close\r\n\r\nno way");
            }
        })) {
            edge.publish(Zones.zone("early.test", origin.url()).build());
            String body = "x".repeat(256 * 1024);
            try (VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
                visitor.send("POST /upload HTTP/1.1\r\nHost: early.test\r\nContent-Length: " + body.length()
                        + "\r\n\r\n");
                VisitorSocket.Response refused = visitor.read();
                visitor.send(body);
                VisitorSocket.Response next = visitor.exchange("GET /next HTTP/1.1\r\nHost: a.test\r\n\r\n");

                assertThat(refused.status()).isEqualTo(403);
                assertThat(refused.body()).isEqualTo("no way");
                assertThat(next.status()).isEqualTo(200);
                assertThat(next.body()).isEqualTo("ok 0");
            }
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedAfterTheKeepAliveTimeoutButALongExchangeIsNot() throws IOException {
        try (ScriptedOrigin origin = new ScriptedOrigin((socket, connection) -> {
            while (readHead(socket.getInputStream())) {
                pause(1_800); // longer than the keep-alive timeout, shorter than the origin response timeout
                ScriptedOrigin.write(socket.getOutputStream(), ScriptedOrigin.ok("late"));
            }
        })) {
            edge.publish(Zones.zone("slow.test", origin.url()).build());
            try (VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
                VisitorSocket.Response slow = visitor.exchange("GET / HTTP/1.1\r\nHost: slow.test\r\n\r\n");
                assertThat(slow.status()).isEqualTo(200);
                assertThat(slow.body()).isEqualTo("late");

                long idleFrom = System.nanoTime();
                assertThat(visitor.closedByEdge()).isTrue();
                assertThat((System.nanoTime() - idleFrom) / 1_000_000).isBetween(1_000L, 5_000L);
            }
        }
    }

    private static String post(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: a.test\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static boolean readHead(InputStream in) throws IOException {
        int matched = 0;
        int c;
        while ((c = in.read()) >= 0) {
            matched = (c == '\r' || c == '\n') ? matched + 1 : 0;
            if (matched == 4) {
                return true;
            }
        }
        return false;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
