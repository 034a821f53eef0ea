package zoneplane.dataplane.visitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.dataplane.support.Zones;

/** PROXY protocol on; 127.0.0.1 is the trusted load balancer, ::1 is not. */
class ProxyProtocolThroughProxyTest {

    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n";

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build()))
            .env(DataPlaneConfigLoader.PROXY_PROTOCOL, "true")
            .env(DataPlaneConfigLoader.TRUSTED_PROXIES, "127.0.0.1");

    @BeforeEach
    void clear() {
        edge.origin().clear();
    }

    @Test
    void version1HeaderFromTrustedBalancerNamesTheVisitor() {
        String response = RawHttp.exchange("127.0.0.1", edge.httpPort(),
                "PROXY TCP4 203.0.113.9 127.0.0.1 55555 80\r\n" + REQUEST);

        assertThat(RawHttp.status(response)).isEqualTo(200);
        assertThat(edge.origin().last().header("CF-Connecting-IP")).isEqualTo("203.0.113.9");
    }

    @Test
    void version2HeaderFromTrustedBalancerNamesAnIpv6Visitor() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        bytes.write(0x21); // v2, PROXY
        bytes.write(0x21); // TCP over IPv6
        bytes.writeBytes(new byte[] {0, 36});
        bytes.writeBytes(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x09});
        bytes.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        bytes.writeBytes(new byte[] {(byte) 0xD9, 0x03, 0x00, 0x50});
        bytes.writeBytes(REQUEST.getBytes(StandardCharsets.ISO_8859_1));

        String response = RawHttp.exchange("127.0.0.1", edge.httpPort(), bytes.toByteArray());

        assertThat(RawHttp.status(response)).isEqualTo(200);
        assertThat(edge.origin().last().header("CF-Connecting-IP")).isEqualTo("2001:db8::9");
    }

    @Test
    void headerFromAnUntrustedPeerIsIgnored() {
        String response = RawHttp.exchange("::1", edge.httpPort(),
                "PROXY TCP6 2001:db8::66 ::1 55555 80\r\n" + REQUEST);

        assertThat(RawHttp.status(response)).isEqualTo(200);
        assertThat(edge.origin().last().header("CF-Connecting-IP")).isEqualTo("::1");
    }
}
