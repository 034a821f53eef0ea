package zoneplane.dataplane.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.datasketches.hll.HllSketch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.H2Visitor;
import zoneplane.dataplane.support.MutableClock;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.dataplane.support.RawWebSocket;
import zoneplane.dataplane.support.UsageReceiver;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.wire.UsageReport;

/**
 * Issue 22 items 1 and 2 through real sockets: visitors behind a PROXY-protocol balancer (their countries
 * from the addresses it names), HTTP/1.1 and HTTP/2 requests, and a WebSocket held open across two minute
 * boundaries of the node's (injected) clock; each closed minute reaches the receiver standing in for the
 * control plane's usage endpoint, with the numbers the test's own client counted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UsageAccountingThroughProxyTest {

    static final Instant M0 = Instant.parse("2026-12-07T10:00:00Z");
    static final Instant M1 = M0.plusSeconds(60);
    static final Instant M2 = M0.plusSeconds(120);
    static final Instant M3 = M0.plusSeconds(180);
    static final Instant M4 = M0.plusSeconds(240);
    static final String TOKEN = "usage-node-token";

    static final MutableClock clock = new MutableClock(M0.plusSeconds(5));
    static final UsageReceiver receiver = new UsageReceiver(TOKEN);

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
                    Zones.zone("a.test", origin.url()).build(), Zones.zone("ws.test", origin.url()).build()))
            .env(DataPlaneConfigLoader.PROXY_PROTOCOL, "true")
            .env(DataPlaneConfigLoader.TRUSTED_PROXIES, "127.0.0.1")
            .env(DataPlaneConfigLoader.USAGE_URL, receiver.url())
            .env(DataPlaneConfigLoader.NODE_TOKEN, TOKEN)
            .clock(clock);

    private static long recordedBefore;

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    private static String zoneId(String host) {
        return edge.node().view().current().route(host).id();
    }

    private static String proxied(String ip, int port) {
        return "PROXY TCP4 " + ip + " 127.0.0.1 " + port + " 80\r\n";
    }

    /** Waits until the node accounted {@code more} records since the last call (no timing guess). */
    private static void awaitRecorded(int more) {
        long target = recordedBefore + more;
        await().atMost(Duration.ofSeconds(20)).until(() -> edge.node().usage().recorded() >= target);
        assertThat(edge.node().usage().recorded()).isEqualTo(target);
        recordedBefore = target;
    }

    private static UsageReport.ZoneMinute awaitMinute(String host, Instant minute) {
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.minute(zoneId(host), minute) != null);
        return receiver.minute(zoneId(host), minute);
    }

    private static UsageReport.HttpGroup group(UsageReport.ZoneMinute minute, String country, String protocol) {
        List<UsageReport.HttpGroup> matching = minute.http().stream()
                .filter(g -> g.country().equals(country) && g.protocol().equals(protocol)).toList();
        assertThat(matching).as("groups of %s %s in %s", country, protocol, minute.http()).hasSize(1);
        return matching.get(0);
    }

    private static String contentType(String response) {
        for (String line : response.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                return line.substring(13).split(";")[0].trim().toLowerCase(Locale.ROOT);
            }
            if (line.isEmpty()) {
                break;
            }
        }
        return "";
    }

    @Test
    @Order(1)
    void http1AndHttp2RequestsOfOneMinuteArriveAsOneZoneMinuteWithTheBytesTheVisitorsSaw() throws Exception {
        edge.countries().put(InetAddress.getByName("203.0.113.9"), "DE")
                .put(InetAddress.getByName("198.51.100.7"), "FR")
                .put(InetAddress.getByName("192.0.2.44"), "US")
                .put(InetAddress.getByName("203.0.113.50"), "JP");
        recordedBefore = edge.node().usage().recorded();
        String germanRequest = "GET /a HTTP/1.1\r\nHost: a.test\r\nUser-Agent: usage-test\r\nConnection: close\r\n\r\n";
        RawHttp.Exchange german = RawHttp.untilClosed("127.0.0.1", edge.httpPort(),
                proxied("203.0.113.9", 40001) + germanRequest, 10_000);
        String frenchRequest = "GET /bbbb?q=1 HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n";
        RawHttp.Exchange french = RawHttp.untilClosed("127.0.0.1", edge.httpPort(),
                proxied("198.51.100.7", 40002) + frenchRequest, 10_000);
        // No zone: the edge's 404 is nobody's traffic.
        RawHttp.untilClosed("127.0.0.1", edge.httpPort(),
                proxied("203.0.113.9", 40003) + "GET / HTTP/1.1\r\nHost: nowhere.test\r\nConnection: close\r\n\r\n",
                10_000);
        int h2Status;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", edge.httpPort()), 3000);
            socket.getOutputStream().write(proxied("192.0.2.44", 40004).getBytes(StandardCharsets.ISO_8859_1));
            H2Visitor h2 = H2Visitor.over(socket).preface();
            h2Status = h2.request(1, new DefaultHttp2Headers().method("GET").scheme("http").authority("a.test")
                    .path("/h2"), true).await(1, Duration.ofSeconds(10)).status();
        }
        awaitRecorded(4);

        clock.set(M1.plusSeconds(1));
        UsageReport.ZoneMinute minute = awaitMinute("a.test", M0);

        String germanText = new String(german.bytes(), StandardCharsets.ISO_8859_1);
        assertThat(RawHttp.status(germanText)).isEqualTo(200);
        assertThat(h2Status).isEqualTo(200);
        assertThat(group(minute, "DE", "HTTP/1.1")).isEqualTo(new UsageReport.HttpGroup("DE", 200, "HTTP/1.1", "http",
                "none", "a.test", contentType(germanText), 1, german.bytes().length, germanRequest.length()));
        String frenchText = new String(french.bytes(), StandardCharsets.ISO_8859_1);
        assertThat(group(minute, "FR", "HTTP/1.1")).isEqualTo(new UsageReport.HttpGroup("FR", 200, "HTTP/1.1", "http",
                "none", "a.test", contentType(frenchText), 1, french.bytes().length, frenchRequest.length()));
        UsageReport.HttpGroup american = group(minute, "US", "HTTP/2");
        assertThat(american.requests()).isEqualTo(1);
        assertThat(american.status()).isEqualTo(200);
        assertThat(american.kind()).isEqualTo("http");
        // HTTP/2: DATA frames exact ("ok 0" in one 9-byte-headed frame), header blocks counted uncompressed.
        assertThat(american.bytesToClient()).isGreaterThan(9 + "ok 0".length() + 9);
        assertThat(american.bytesFromClient()).isGreaterThan(9);
        assertThat(minute.http()).hasSize(3);
        assertThat(HllSketch.heapify(minute.uniques()).getEstimate()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(minute.websockets()).isEqualTo(UsageReport.WebSocketMinute.NONE);
        assertThat(receiver.problems()).isEmpty();
    }

    @Test
    @Order(2)
    void aWebSocketOpenAcrossTwoMinuteBoundariesIsBilledPerMinuteWithItsBytesWhereTheyFlowed() throws Exception {
        clock.set(M1.plusSeconds(10));
        String handshake = "GET /ws HTTP/1.1\r\nHost: ws.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        try (RawWebSocket ws = RawWebSocket.open(edge.httpPort(), "ws.test", "/ws", proxied("203.0.113.50", 40005))) {
            assertThat(ws.status()).isEqualTo(101);
            ws.sendText("hello"); // 6-byte masked header + 5
            assertThat(ws.read().text()).isEqualTo("hello"); // 2-byte header + 5
            awaitRecorded(1);

            clock.set(M2.plusSeconds(1));
            UsageReport.ZoneMinute first = awaitMinute("ws.test", M1);
            assertThat(first.http()).containsExactly(new UsageReport.HttpGroup("JP", 101, "HTTP/1.1", "websocket",
                    "none", "ws.test", "", 1, ws.head().length() + 7, handshake.length() + 11));
            assertThat(first.websockets()).isEqualTo(new UsageReport.WebSocketMinute(1, 0, 0, 1, 50, 0, 7, 11));

            ws.sendText("again!");
            assertThat(ws.read().text()).isEqualTo("again!");
            clock.set(M3.plusSeconds(1));
            UsageReport.ZoneMinute second = awaitMinute("ws.test", M2);
            // Still open: a full minute of connection time, the first minute of its life completed.
            assertThat(second.http()).containsExactly(new UsageReport.HttpGroup("JP", 101, "HTTP/1.1", "websocket",
                    "none", "ws.test", "", 0, 8, 12));
            assertThat(second.websockets()).isEqualTo(new UsageReport.WebSocketMinute(0, 0, 0, 1, 60, 1, 8, 12));

            clock.set(M3.plusSeconds(20));
            ws.sendClose(1000);
            RawWebSocket.Frame close = ws.read();
            assertThat(close.opcode()).isEqualTo(8);
            long closeBytes = 2 + close.payload().length;
            assertThat(ws.closedByPeer()).isTrue();
            awaitRecorded(1);

            clock.set(M4.plusSeconds(1));
            UsageReport.ZoneMinute last = awaitMinute("ws.test", M3);
            // 130 s of life: ceil(130 / 60) = 3 billable minutes in all, 1 counted before, 2 when it closed.
            assertThat(last.websockets()).isEqualTo(new UsageReport.WebSocketMinute(0, 1, 0, 1, 20, 2, closeBytes, 8));
            assertThat(last.http()).containsExactly(new UsageReport.HttpGroup("JP", 101, "HTTP/1.1", "websocket",
                    "none", "ws.test", "", 0, closeBytes, 8));
        }
        assertThat(receiver.duplicates()).isZero();
        assertThat(receiver.problems()).isEmpty();
    }
}
