package zoneplane.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.VisitorSocket;
import zoneplane.dataplane.support.Zones;

/**
 * {@code ZONEPLANE_HTTP1_FAST_PATH=false}, the operator's way back to Reactor Netty's handlers for every
 * HTTP/1.1 request: the same answers, identity headers and keep-alive behaviour.
 */
class ReactorHttp1PathTest {

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build()))
            .env(DataPlaneConfigLoader.HTTP1_FAST_PATH, "false")
            .env(DataPlaneConfigLoader.KEEPALIVE_TIMEOUT, "1s");

    @Test
    void requestsOnOneConnectionAreProxiedWithTheEdgesHeaders() throws IOException {
        try (VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
            VisitorSocket.Response get = visitor.exchange("GET /one HTTP/1.1\r\nHost: a.test\r\n\r\n");
            VisitorSocket.Response post = visitor.exchange(
                    "POST /two HTTP/1.1\r\nHost: a.test\r\nContent-Length: 3\r\n\r\nabc");
            VisitorSocket.Response unknown = visitor.exchange("GET / HTTP/1.1\r\nHost: unknown.test\r\n\r\n");

            assertThat(get.status()).isEqualTo(200);
            assertThat(get.header("CF-Ray")).endsWith("-TST");
            assertThat(post.body()).isEqualTo("ok 3");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(visitor.closedByEdge()).isTrue(); // after the keep-alive timeout
        }
        assertThat(edge.origin().requests()).extracting(r -> r.uri()).containsExactly("/one", "/two");
        assertThat(edge.origin().last().headers().get("CF-Connecting-IP")).isEqualTo("127.0.0.1");
    }
}
