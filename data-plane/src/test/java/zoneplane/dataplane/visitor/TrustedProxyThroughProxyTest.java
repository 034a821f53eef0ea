package zoneplane.dataplane.visitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RecordedRequest;
import zoneplane.dataplane.support.Zones;

/** 127.0.0.0/8 is a trusted proxy here; ::1 is not. */
class TrustedProxyThroughProxyTest {

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build()))
            .env(DataPlaneConfigLoader.TRUSTED_PROXIES, "127.0.0.0/8, 10.0.0.0/8");

    @BeforeEach
    void clear() {
        edge.origin().clear();
    }

    private static RecordedRequest via(boolean ipv6, String... headers) {
        var request = edge.request("a.test", "/", ipv6);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        edge.send(request);
        return edge.origin().last();
    }

    @Test
    void trustedPeerForwardedForNamesTheVisitor() {
        RecordedRequest seen = via(false, "X-Forwarded-For", "203.0.113.7");

        assertThat(seen.header("CF-Connecting-IP")).isEqualTo("203.0.113.7");
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("203.0.113.7");
        assertThat(seen.header("CF-IPCountry")).isEqualTo("XX");
    }

    @Test
    void trustedHopsAreSkippedRightToLeftAndEarlierEntriesKept() {
        RecordedRequest seen = via(false, "X-Forwarded-For", "198.51.100.1, 203.0.113.7, 10.1.2.3");

        assertThat(seen.header("CF-Connecting-IP")).isEqualTo("203.0.113.7");
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("198.51.100.1,203.0.113.7");
    }

    @Test
    void trustedPeerMayReportHttps() {
        RecordedRequest seen = via(false, "X-Forwarded-Proto", "https");

        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(seen.header("CF-Visitor")).isEqualTo("{\"scheme\":\"https\"}");
    }

    @Test
    void untrustedPeerCannotMoveTheVisitorAddressOrScheme() {
        RecordedRequest seen = via(true, "X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https");

        assertThat(seen.header("CF-Connecting-IP")).isEqualTo("::1");
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("203.0.113.7,::1");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
    }

    @Test
    void unparsableForwardedForLeavesTheTrustedPeerAsVisitor() {
        RecordedRequest seen = via(false, "X-Forwarded-For", "evil.example");

        assertThat(seen.header("CF-Connecting-IP")).isEqualTo("127.0.0.1");
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("evil.example,127.0.0.1");
    }
}
