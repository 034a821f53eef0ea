package zoneplane.dataplane.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.WebSocketRecorder;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.Plan;

/** {@code ZONEPLANE_WEBSOCKET_LIMIT_ENFORCED=true} with real JDK WebSocket clients through the edge. */
class WebSocketLimitTest {

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
                    Zones.zone("free-ws.test", origin.url()).plan(Plan.FREE).build(),
                    Zones.zone("other-free-ws.test", origin.url()).plan(Plan.FREE).build(),
                    Zones.zone("pro-ws.test", origin.url()).plan(Plan.PRO).build()))
            .env(DataPlaneConfigLoader.WEBSOCKET_LIMIT_ENFORCED, "true")
            .env(DataPlaneConfigLoader.WEBSOCKET_LIMITS, "free=2,pro=3");

    private final HttpClient client = HttpClient.newHttpClient();

    private WebSocket open(String host, WebSocketRecorder recorder) {
        return open(host, "/ws", recorder);
    }

    private WebSocket open(String host, String path, WebSocketRecorder recorder) {
        return client.newWebSocketBuilder().header("Host", host).connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + edge.httpPort() + path), recorder)
                .orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void aHandshakeOverTheZonesPlanLimitGets429WithoutReachingTheOriginUntilOneCloses() throws Exception {
        WebSocketRecorder first = new WebSocketRecorder();
        WebSocket one = open("free-ws.test", first);
        WebSocket two = open("free-ws.test", new WebSocketRecorder());

        assertThatThrownBy(() -> open("free-ws.test", "/ws-refused", new WebSocketRecorder()))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                        .isEqualTo(429));
        assertThat(edge.origin().requests()).extracting(r -> r.uri()).doesNotContain("/ws-refused");

        // The limit is per zone: another Free zone still gets its own two.
        WebSocket elsewhere = open("other-free-ws.test", new WebSocketRecorder());
        elsewhere.sendText("hi", true).join();

        one.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        assertThat(first.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        WebSocketRecorder third = new WebSocketRecorder();
        WebSocket again = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> open("free-ws.test", third), ws -> ws != null);
        again.sendText("back", true).join();
        assertThat(third.texts.poll(10, TimeUnit.SECONDS)).isEqualTo("back");

        two.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        again.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        elsewhere.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    @Test
    void eachPlanHasItsOwnLimit() {
        List<WebSocket> pro = List.of(open("pro-ws.test", new WebSocketRecorder()),
                open("pro-ws.test", new WebSocketRecorder()), open("pro-ws.test", new WebSocketRecorder()));

        assertThatThrownBy(() -> open("pro-ws.test", new WebSocketRecorder()))
                .cause().isInstanceOf(WebSocketHandshakeException.class);
        pro.forEach(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join());
    }
}
