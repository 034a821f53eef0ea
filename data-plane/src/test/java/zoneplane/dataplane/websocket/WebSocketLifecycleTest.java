package zoneplane.dataplane.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RawWebSocket;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.Plan;

/**
 * Every way a proxied WebSocket can end (issue 19 item 2): a visitor's FIN without a close frame, a
 * reset, a silent visitor past the idle timeout, the origin vanishing, a normal close. Each must give
 * the zone's only slot back (limit 1: a new handshake is upgraded again), close the origin's TCP
 * connection, and bring the node's {@code zoneplane_edge_websockets_active} gauge (read from its
 * management {@code /metrics}) back to 0. The upgrade itself counts as one request with status 101.
 */
class WebSocketLifecycleTest {

    private static final String ZONE = "ws-life.test";
    private static final String IDLE_ZONE = "ws-idle-life.test";
    private static final Duration BOUND = Duration.ofSeconds(10);
    // Long enough that the set-up checks (a first /metrics scrape on 2 busy cores) never reach it.

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
                    Zones.zone(ZONE, origin.url()).plan(Plan.BUSINESS).build(),
                    Zones.zone(IDLE_ZONE, origin.url()).plan(Plan.FREE).build()))
            .env(DataPlaneConfigLoader.WEBSOCKET_LIMIT_ENFORCED, "true")
            .env(DataPlaneConfigLoader.WEBSOCKET_LIMITS, "free=1,business=1")
            .env(DataPlaneConfigLoader.WEBSOCKET_IDLE_STANDARD, "4s");

    private final HttpClient management = HttpClient.newHttpClient();

    @AfterEach
    void everythingIsReleased() {
        await().atMost(BOUND).until(() -> edge.origin().webSocketConnections() == 0);
        await().atMost(BOUND).until(() -> activeGauge("business") == 0 && activeGauge("free") == 0);
    }

    /** A proxied WebSocket on {@code zone}, proven open both ways, while the zone's one slot is taken. */
    private RawWebSocket established(String zone) throws IOException {
        edge.origin().clear();
        RawWebSocket ws = await().atMost(BOUND).ignoreExceptions()
                .until(() -> RawWebSocket.open(edge.httpPort(), zone, "/ws"), s -> s.status() == 101);
        try (RawWebSocket refused = RawWebSocket.open(edge.httpPort(), zone, "/ws")) {
            assertThat(refused.status()).as("the zone's only slot is taken").isEqualTo(429);
        }
        ws.sendText("hello");
        RawWebSocket.Frame echo = ws.read();
        assertThat(echo).isNotNull();
        assertThat(echo.text()).isEqualTo("hello");
        assertThat(edge.origin().webSocketConnections()).isEqualTo(1);
        assertThat(activeGauge(zone.equals(ZONE) ? "business" : "free")).isEqualTo(1);
        return ws;
    }

    /** The slot, the origin connection and the gauge are all free again: a new handshake is upgraded. */
    private void releasedAndReusable(String zone) throws IOException {
        await().atMost(BOUND).until(() -> edge.origin().webSocketConnections() == 0);
        await().atMost(BOUND).until(() -> activeGauge(zone.equals(ZONE) ? "business" : "free") == 0);
        RawWebSocket again = await().atMost(BOUND).ignoreExceptions()
                .until(() -> RawWebSocket.open(edge.httpPort(), zone, "/ws"), s -> s.status() == 101);
        again.sendText("again");
        assertThat(again.read().text()).isEqualTo("again");
        again.sendClose(1000);
        closedWith(again, 1000);
    }

    /** The edge sends {@code ws} a close frame with {@code code}, then ends the TCP connection. */
    private static void closedWith(RawWebSocket ws, int code) throws IOException {
        RawWebSocket.Frame close = ws.read();
        assertThat(close).isNotNull();
        assertThat(close.opcode()).isEqualTo(8);
        assertThat(close.closeCode()).isEqualTo(code);
        assertThat(ws.closedByPeer()).isTrue();
    }

    @Test
    void visitorFinWithoutCloseFrameTearsDownBothSides() throws IOException {
        RawWebSocket ws = established(ZONE);

        ws.fin();

        assertThat(ws.closedByPeer()).isTrue();
        ws.close();
        await().atMost(BOUND).until(() -> edge.origin().lastWebSocketCloseCode() == 1001);
        releasedAndReusable(ZONE);
    }

    @Test
    void visitorResetTearsDownBothSides() throws IOException {
        RawWebSocket ws = established(ZONE);

        ws.reset();

        await().atMost(BOUND).until(() -> edge.origin().lastWebSocketCloseCode() == 1001);
        releasedAndReusable(ZONE);
    }

    @Test
    void silentVisitorPastTheIdleTimeoutIsClosedWith1001AndReleased() throws IOException {
        try (RawWebSocket ws = established(IDLE_ZONE)) {
            // The visitor never reads nor answers the close: half-open from the edge's point of view. Only
            // the idle timeout ends this session (1001 to both sides).
            await().atMost(BOUND).until(() -> edge.origin().webSocketConnections() == 0);

            closedWith(ws, 1001);
            assertThat(edge.origin().lastWebSocketCloseCode()).isEqualTo(1001);
        }
        releasedAndReusable(IDLE_ZONE);
    }

    @Test
    void originVanishingGivesTheVisitor1011AndReleases() throws IOException {
        try (RawWebSocket ws = established(ZONE)) {
            ws.sendText("die");

            closedWith(ws, 1011);
        }
        releasedAndReusable(ZONE);
    }

    @Test
    void normalCloseFromTheVisitorReachesTheOriginAndReleases() throws IOException {
        try (RawWebSocket ws = established(ZONE)) {
            ws.sendClose(4321);

            closedWith(ws, 4321);
            await().atMost(BOUND).until(() -> edge.origin().lastWebSocketCloseCode() == 4321);
        }
        releasedAndReusable(ZONE);
    }

    @Test
    void originCloseCodeReachesTheVisitorAndReleases() throws IOException {
        try (RawWebSocket ws = established(ZONE)) {
            ws.sendText("close:4001");

            closedWith(ws, 4001);
        }
        releasedAndReusable(ZONE);
    }

    @Test
    void aFrameOverTheLimitGets1009AndReleases() throws IOException {
        try (RawWebSocket ws = established(ZONE)) {
            // A masked binary frame declaring 17 MiB (the edge allows 16 MiB) and its first 4 KiB.
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x82);
            frame.write(0x80 | 127);
            long length = 17L << 20;
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (length >>> shift) & 0xFF);
            }
            frame.writeBytes(new byte[] {1, 2, 3, 4});
            frame.writeBytes(new byte[4096]);
            ws.sendRaw(frame.toByteArray());

            closedWith(ws, 1009);
        }
        await().atMost(BOUND).until(() -> edge.origin().lastWebSocketCloseCode() == 1001);
        releasedAndReusable(ZONE);
    }

    @Test
    void theUpgradeCountsAsOneRequestWith101WhileTheWebSocketIsStillOpen() throws IOException {
        double before = counter("zoneplane_edge_requests_total", "status=\"101\",zone=\"" + ZONE + "\"");

        try (RawWebSocket ws = established(ZONE)) {
            await().atMost(BOUND).until(() -> counter("zoneplane_edge_requests_total",
                    "status=\"101\",zone=\"" + ZONE + "\"") == before + 1);
            ws.sendClose(1000);
            assertThat(ws.read().closeCode()).isEqualTo(1000);
        }
        await().atMost(BOUND).until(() -> activeGauge("business") == 0);
        // The end of the WebSocket counts nothing more (the refused handshake in established() is a 429).
        assertThat(counter("zoneplane_edge_requests_total", "status=\"101\",zone=\"" + ZONE + "\""))
                .isEqualTo(before + 1);
        assertThat(counter("zoneplane_edge_requests_total", "status=\"200\",zone=\"" + ZONE + "\"")).isZero();
    }

    private double activeGauge(String plan) {
        return counter("zoneplane_edge_websockets_active", "plan=\"" + plan + "\"");
    }

    /** One sample of the node's Prometheus text on its management port; 0 when the series is absent. */
    private double counter(String name, String labels) {
        String text;
        try {
            text = management.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + edge.node().managementPort() + "/metrics")).timeout(BOUND).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new AssertionError("management /metrics did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(text);
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }
}
