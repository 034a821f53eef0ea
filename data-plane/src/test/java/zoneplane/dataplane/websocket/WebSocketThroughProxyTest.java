package zoneplane.dataplane.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RecordedRequest;
import zoneplane.dataplane.support.WebSocketRecorder;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.Plan;
import zoneplane.model.Setting;

class WebSocketThroughProxyTest {

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
                    Zones.zone("ws-on.test", origin.url()).plan(Plan.FREE).set(Setting.WEBSOCKETS, "on").build(),
                    Zones.zone("ws-off.test", origin.url()).plan(Plan.FREE).set(Setting.WEBSOCKETS, "off").build(),
                    Zones.zone("ws-idle.test", origin.url()).plan(Plan.BUSINESS).build()))
            .env(DataPlaneConfigLoader.WEBSOCKET_IDLE_BUSINESS, "1s");

    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void clear() {
        edge.origin().clear();
    }

    private WebSocket open(String host, WebSocketRecorder recorder) {
        return client.newWebSocketBuilder()
                .header("Host", host)
                .subprotocols("chat", "superchat")
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + edge.httpPort() + "/ws"), recorder)
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    @Test
    void textAndSubprotocolAreProxiedAndIdentityHeadersReachTheOrigin() throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        WebSocket ws = open("ws-on.test", recorder);

        ws.sendText("hello", true).join();

        assertThat(recorder.texts.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");
        assertThat(ws.getSubprotocol()).isEqualTo("chat");
        RecordedRequest handshake = edge.origin().last();
        assertThat(handshake.header("CF-Connecting-IP")).isEqualTo("127.0.0.1");
        assertThat(handshake.header("CF-Ray")).matches("[0-9a-f]{16}-TST");
        ws.sendClose(1000, "bye").join();
        assertThat(recorder.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void largeBinaryFramesArriveWhole() throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        WebSocket ws = open("ws-on.test", recorder);
        byte[] payload = new byte[4 * 1024 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }

        ws.sendBinary(ByteBuffer.wrap(payload), true).join();

        ByteBuffer echoed = recorder.binaries.poll(20, TimeUnit.SECONDS);
        assertThat(echoed).isNotNull();
        byte[] received = new byte[echoed.remaining()];
        echoed.get(received);
        assertThat(received).isEqualTo(payload);
        ws.sendClose(1000, "").join();
    }

    @Test
    void originCloseCodeReachesTheVisitor() throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        WebSocket ws = open("ws-on.test", recorder);

        ws.sendText("close:4001", true).join();

        assertThat(recorder.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4001);
    }

    @Test
    void originThatVanishesWithoutCloseFrameGivesTheVisitor1011() throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        WebSocket ws = open("ws-on.test", recorder);

        ws.sendText("die", true).join();

        assertThat(recorder.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1011);
    }

    @Test
    void visitorCloseCodeReachesTheOrigin() throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        WebSocket ws = open("ws-on.test", recorder);
        ws.sendText("ping", true).join();
        assertThat(recorder.texts.poll(10, TimeUnit.SECONDS)).isEqualTo("ping");

        ws.sendClose(4321, "visitor leaves").join();

        // The echo origin answers a close with the same code (RFC 6455 §5.5.1), which proves it got 4321.
        assertThat(recorder.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4321);
        await().atMost(Duration.ofSeconds(5)).until(() -> edge.origin().webSocketSessions() == 0);
    }

    @Test
    void websocketsOffForwardsThePlainRequestWithoutUpgradeSoNo101() {
        Throwable failure = null;
        try {
            open("ws-off.test", new WebSocketRecorder());
        } catch (CompletionException e) {
            failure = e.getCause();
        }

        assertThat(failure).isInstanceOf(WebSocketHandshakeException.class);
        HttpResponse<?> response = ((WebSocketHandshakeException) failure).getResponse();
        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest seen = edge.origin().last();
        assertThat(seen.header("Upgrade")).isNull();
        assertThat(seen.header("Connection")).isNull();
    }

    @Test
    void togglingWebsocketsOffKeepsEstablishedConnectionsAndRefusesNewOnes() throws Exception {
        edge.publish(Zones.zone("ws-toggle.test", edge.origin().url()).set(Setting.WEBSOCKETS, "on").build());
        WebSocketRecorder recorder = new WebSocketRecorder();
        WebSocket ws = open("ws-toggle.test", recorder);

        edge.publish(Zones.zone("ws-toggle.test", edge.origin().url()).set(Setting.WEBSOCKETS, "off").build());
        ws.sendText("still here", true).join();

        assertThat(recorder.texts.poll(10, TimeUnit.SECONDS)).isEqualTo("still here");
        CompletionException refused = null;
        try {
            open("ws-toggle.test", new WebSocketRecorder());
        } catch (CompletionException e) {
            refused = e;
        }
        assertThat(refused).isNotNull().hasCauseInstanceOf(WebSocketHandshakeException.class);
        ws.sendClose(1000, "").join();
    }

    @Test
    void idleConnectionIsClosedAfterThePlansIdleTimeout() throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        open("ws-idle.test", recorder);

        assertThat(recorder.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
    }

    @Test
    void activeWebSocketsAreCounted() throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        WebSocket ws = open("ws-on.test", recorder);

        await().atMost(Duration.ofSeconds(5)).until(() -> edge.node().metrics().activeWebSockets() >= 1);
        assertThat(edge.node().meterRegistry().get("zoneplane.edge.websockets.active").tag("plan", "free").gauge()
                .value()).isGreaterThanOrEqualTo(1);
        ws.sendClose(1000, "").join();
        recorder.closeCode.get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> edge.node().metrics().activeWebSockets() == 0);
    }
}
