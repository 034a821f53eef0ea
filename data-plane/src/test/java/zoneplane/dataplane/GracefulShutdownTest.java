package zoneplane.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneEndpoints;
import zoneplane.dataplane.support.H2Visitor;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.VisitorSocket;
import zoneplane.dataplane.support.WebSocketRecorder;
import zoneplane.dataplane.support.Zones;

class GracefulShutdownTest {

    /** Drain deadline 1 s (set by the extension). */
    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build()));

    private static int readiness() throws Exception {
        return HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + edge.node().managementPort() + DataPlaneEndpoints.READINESS_PATH)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void shutdownStopsAcceptingThenClosesWebSocketsWith1001AfterTheDrainDeadline() throws Exception {
        int port = edge.httpPort();
        WebSocketRecorder recorder = new WebSocketRecorder();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Host", "a.test")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), recorder).get(10, TimeUnit.SECONDS);
        ws.sendText("before", true).join();
        assertThat(recorder.texts.poll(10, TimeUnit.SECONDS)).isEqualTo("before");

        VisitorSocket keptAlive = new VisitorSocket(port);
        assertThat(keptAlive.exchange("GET /before HTTP/1.1\r\nHost: a.test\r\n\r\n").header("Connection")).isNull();

        H2Visitor h2 = H2Visitor.cleartext(port).preface();
        h2.request(1, "GET", "a.test", "/before-h2", true);
        assertThat(h2.await(1, Duration.ofSeconds(10)).status()).isEqualTo(200);
        assertThat(h2.goAwayCode()).isNull();

        assertThat(readiness()).isEqualTo(200);
        long started = System.nanoTime();
        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(edge.node()::close);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        }).isInstanceOf(ConnectException.class));
        assertThat(readiness()).isEqualTo(503);
        // An HTTP/2 visitor is told at once with GOAWAY (NO_ERROR), not only when the node closes its connection.
        await().atMost(Duration.ofSeconds(5)).until(() -> h2.pump(Duration.ofMillis(50)).goAwayCode() != null);
        assertThat(h2.goAwayCode()).isZero();
        assertThat(h2.goAwayDebug()).isEqualTo("draining");
        h2.close();
        // A kept-alive visitor is still served while draining, and told to close its connection.
        VisitorSocket.Response duringDrain = keptAlive.exchange("GET /during HTTP/1.1\r\nHost: a.test\r\n\r\n");
        assertThat(duringDrain.status()).isEqualTo(200);
        assertThat(duringDrain.header("Connection")).isEqualTo("close");
        assertThat(keptAlive.closedByEdge()).isTrue();
        keptAlive.close();
        ws.sendText("during drain", true).join();
        assertThat(recorder.texts.poll(10, TimeUnit.SECONDS)).isEqualTo("during drain");
        assertThat(recorder.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        shutdown.get(15, TimeUnit.SECONDS);
    }
}
