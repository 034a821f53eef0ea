package zoneplane.dataplane.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OriginAddressTest {

    @Test
    void ipLiteralOriginIsResolvedWithoutALookupAndDefaultsItsPort() {
        OriginAddress plain = OriginAddress.parse("http://10.0.0.5");
        OriginAddress tls = OriginAddress.parse("https://[2001:db8::1]");

        assertThat(plain.socketAddress().isUnresolved()).isFalse();
        assertThat(plain.port()).isEqualTo(80);
        assertThat(plain.tls()).isFalse();
        assertThat(tls.host()).isEqualTo("2001:db8::1");
        assertThat(tls.port()).isEqualTo(443);
        assertThat(tls.socketAddress().getAddress().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void namedOriginStaysUnresolvedUntilConnectTime() {
        OriginAddress named = OriginAddress.parse("HTTPS://Origin.Example:8443");

        assertThat(named.tls()).isTrue();
        assertThat(named.socketAddress().isUnresolved()).isTrue();
        assertThat(named.socketAddress().getHostString()).isEqualTo("Origin.Example");
        assertThat(named.port()).isEqualTo(8443);
    }

    @Test
    void requestTargetsGoUnderTheOriginsPath() {
        assertThat(OriginAddress.parse("http://o.test").target("/a?b=1")).isEqualTo("/a?b=1");
        assertThat(OriginAddress.parse("http://o.test/").target("/a")).isEqualTo("/a");
        assertThat(OriginAddress.parse("http://o.test/app").target("/a?b=1")).isEqualTo("/app/a?b=1");
        assertThat(OriginAddress.parse("http://o.test/app/").target("/")).isEqualTo("/app/");
        assertThat(OriginAddress.parse("http://o.test/app").target("*")).isEqualTo("/app/*");
    }

    @Test
    void urlsForWholeUrlClientsReachTheSamePathAsTargets() {
        assertThat(OriginAddress.parse("http://o.test").url("/a?b=1")).isEqualTo("http://o.test:80/a?b=1");
        assertThat(OriginAddress.parse("https://o.test/app/").url("/ws")).isEqualTo("https://o.test:443/app/ws");
        assertThat(OriginAddress.parse("http://[::1]:8080/app").url("/grpc.Svc/Call"))
                .isEqualTo("http://[::1]:8080/app/grpc.Svc/Call");
    }

    @Test
    void somethingThatIsNotAnHttpUrlIsRefusedWithTheReason() {
        assertThatThrownBy(() -> OriginAddress.parse("ftp://o.test")).hasMessageContaining("http or https");
        assertThatThrownBy(() -> OriginAddress.parse("http:///path")).hasMessageContaining("no host");
        assertThatThrownBy(() -> OriginAddress.parse("http://o test")).hasMessageContaining("not a URL");
    }
}
