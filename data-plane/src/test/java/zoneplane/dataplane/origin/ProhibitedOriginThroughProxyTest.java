package zoneplane.dataplane.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.dataplane.support.Zones;

/**
 * Issue 20 item 1 at the edge: with private origins not allowed (a node following a control plane;
 * here set explicitly on a snapshot node), an origin that is or resolves to a prohibited address
 * (a host name resolving to loopback, as a DNS rebinding would make it) gets 502 "Error 1000" and is
 * never connected: the listener behind those origins counts no connection, for plain requests and
 * WebSocket handshakes alike.
 */
class ProhibitedOriginThroughProxyTest {

    /** A TCP listener on loopback that only counts the connections it is offered. */
    static final CountingListener LISTENER = new CountingListener();

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
                    Zones.zone("name.test", "http://localhost:" + LISTENER.port()).build(),
                    Zones.zone("literal.test", "http://127.0.0.1:" + LISTENER.port()).build(),
                    Zones.zone("mapped.test", "http://[::ffff:127.0.0.1]:" + LISTENER.port()).build(),
                    Zones.zone("ipv6.test", "http://[::1]:" + LISTENER.port() + "/app").build()))
            .env(DataPlaneConfigLoader.ALLOW_PRIVATE_ORIGINS, "false");

    @AfterAll
    static void closeListener() throws IOException {
        LISTENER.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"name.test", "literal.test", "mapped.test", "ipv6.test"})
    void anOriginOnAProhibitedAddressGets502Error1000WithoutAConnection(String host) {
        int before = LISTENER.accepted();
        HttpResponse<String> response = edge.get(host, "/metrics");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("Error 1000").contains("prohibited IP").doesNotContain("127.0.0.1")
                .doesNotContain(Integer.toString(LISTENER.port()));
        assertThat(response.headers().firstValue("cf-ray")).isPresent();
        assertThat(LISTENER.accepted()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"name.test", "literal.test"})
    void aWebSocketHandshakeToAProhibitedOriginGets502WithoutAConnection(String host) {
        int before = LISTENER.accepted();
        String response = RawHttp.exchange("127.0.0.1", edge.httpPort(), "GET /ws HTTP/1.1\r\nHost: " + host + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        assertThat(RawHttp.status(response)).isEqualTo(502);
        assertThat(response).contains("Error 1000");
        assertThat(LISTENER.accepted()).isEqualTo(before);
    }

    static final class CountingListener implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger accepted = new AtomicInteger();

        CountingListener() {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getByName("::"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket ignored = socket.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "counting-listener");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
