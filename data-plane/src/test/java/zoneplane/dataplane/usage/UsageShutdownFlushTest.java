package zoneplane.dataplane.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.MutableClock;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.TestTls;
import zoneplane.dataplane.support.UsageReceiver;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.wire.UsageReport;

/**
 * Graceful shutdown ships the minute still open: a node stopped mid-minute loses none of its traffic.
 * One of its requests comes over TLS: counted as encrypted, with its TLS version and the plaintext HTTP
 * bytes the visitor read (TLS record overhead is not the zone's bandwidth).
 */
class UsageShutdownFlushTest {

    static final Instant M0 = Instant.parse("2026-12-07T13:00:00Z");

    @Test
    void closingTheNodeShipsTheOpenMinute() throws Exception {
        MutableClock clock = new MutableClock(M0.plusSeconds(30));
        try (UsageReceiver receiver = new UsageReceiver("flush-token")) {
            ProxyExtension edge = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build()))
                    .env(DataPlaneConfigLoader.USAGE_URL, receiver.url())
                    .env(DataPlaneConfigLoader.NODE_TOKEN, "flush-token")
                    .env(DataPlaneConfigLoader.TLS_CERT_FILE, TestTls.certFile())
                    .env(DataPlaneConfigLoader.TLS_KEY_FILE, TestTls.keyFile())
                    .clock(clock);
            edge.beforeAll(null);
            String zone;
            String request = "GET /tls HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n";
            byte[] response;
            try {
                zone = edge.node().view().current().route("a.test").id();
                assertThat(edge.get("a.test", "/one").statusCode()).isEqualTo(200);
                assertThat(edge.get("a.test", "/two").statusCode()).isEqualTo(200);
                try (SSLSocket socket = (SSLSocket) TestTls.client().getSocketFactory()
                        .createSocket("127.0.0.1", edge.node().httpsPort())) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                    response = socket.getInputStream().readAllBytes();
                }
            } finally {
                edge.afterAll(null);
            }

            UsageReport.ZoneMinute open = receiver.minute(zone, M0);
            assertThat(open).isNotNull();
            assertThat(open.http()).hasSize(2);
            assertThat(open.http()).filteredOn(g -> !g.encrypted()).singleElement()
                    .extracting(UsageReport.HttpGroup::requests).isEqualTo(2L);
            UsageReport.HttpGroup tls = open.http().stream().filter(UsageReport.HttpGroup::encrypted).findFirst()
                    .orElseThrow();
            assertThat(tls.sslProtocol()).startsWith("TLSv1.");
            assertThat(List.of(tls.requests(), tls.bytesToClient(), tls.bytesFromClient()))
                    .containsExactly(1L, (long) response.length, (long) request.length());
        }
    }
}
