package zoneplane.dataplane.setting;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RecordedRequest;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.Plan;
import zoneplane.model.Setting;

/** Every header setting × value, for IPv4 and IPv6 visitors, Tor and not, through a real node. */
class SettingsThroughProxyTest {

    static final String ONION = "cflareub6dtu7nvs3kqmoigcjdwap2azrkx5zohb2yk7gqjkwoyotwqd.onion";

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
                    Zones.zone("geo-on.test", origin.url()).set(Setting.IP_GEOLOCATION, "on").build(),
                    Zones.zone("geo-off.test", origin.url()).set(Setting.IP_GEOLOCATION, "off").build(),
                    Zones.zone("pseudo-off.test", origin.url()).set(Setting.PSEUDO_IPV4, "off").build(),
                    Zones.zone("pseudo-add.test", origin.url()).set(Setting.PSEUDO_IPV4, "add_header").build(),
                    Zones.zone("pseudo-overwrite.test", origin.url()).set(Setting.PSEUDO_IPV4, "overwrite_header").build(),
                    Zones.zone("tci-on.test", origin.url()).set(Setting.TRUE_CLIENT_IP_HEADER, "on").build(),
                    Zones.zone("tci-off.test", origin.url()).set(Setting.TRUE_CLIENT_IP_HEADER, "off").build(),
                    Zones.zone("tci-overwrite.test", origin.url()).set(Setting.TRUE_CLIENT_IP_HEADER, "on")
                            .set(Setting.PSEUDO_IPV4, "overwrite_header").build(),
                    Zones.zone("onion-on.test", origin.url()).set(Setting.OPPORTUNISTIC_ONION, "on").build(),
                    Zones.zone("onion-off.test", origin.url()).set(Setting.OPPORTUNISTIC_ONION, "off").build(),
                    Zones.zone("grpc-off.test", origin.url()).plan(Plan.FREE).build()))
            .env(DataPlaneConfigLoader.ONION_ADDRESS, ONION);

    static InetAddress v4;
    static InetAddress v6;

    @BeforeAll
    static void countries() throws Exception {
        v4 = InetAddress.getByName("127.0.0.1");
        v6 = InetAddress.getByName("::1");
        edge.countries().put(v4, "DE").put(v6, "JP");
    }

    @BeforeEach
    void clear() {
        edge.origin().clear();
    }

    @AfterEach
    void notTor() {
        edge.torExits().clear();
    }

    private static RecordedRequest through(String host, boolean ipv6) {
        HttpResponse<String> response = edge.send(edge.request(host, "/", ipv6)
                .header("CF-IPCountry", "US")
                .header("True-Client-IP", "6.6.6.6")
                .header("Cf-Pseudo-IPv4", "240.9.9.9")
                .header("CF-Connecting-IPv6", "2001:db8::666"));
        assertThat(response.statusCode()).isEqualTo(200);
        return edge.origin().last();
    }

    @ParameterizedTest(name = "{0} from {1} (tor={2}) → CF-IPCountry {3}")
    @CsvSource(nullValues = "none", value = {
        "geo-on.test,  127.0.0.1, false, DE",
        "geo-on.test,  ::1,       false, JP",
        "geo-on.test,  127.0.0.1, true,  T1",
        "geo-on.test,  ::1,       true,  T1",
        "geo-off.test, 127.0.0.1, false, none",
        "geo-off.test, ::1,       true,  none",
    })
    void ipGeolocation(String host, String visitor, boolean tor, String country) throws Exception {
        if (tor) {
            edge.torExits().add(InetAddress.getByName(visitor));
        }
        RecordedRequest seen = through(host, visitor.contains(":"));

        assertThat(seen.header("CF-IPCountry")).isEqualTo(country);
    }

    @ParameterizedTest(name = "over h2c, requests {0}")
    @ValueSource(ints = {1, 3})
    void ipGeolocationAndIdentityAreTheSameOverCleartextHttp2(int requests) throws Exception {
        // The JDK client upgrades its first request to h2c and sends the others as HTTP/2 streams. Over
        // HTTP/2 the zone comes from :authority (a differing Host header is malformed, RFC 9113 §8.3.1),
        // so the zone is named after the address the client connects to.
        edge.publish(Zones.zone("127.0.0.1", edge.origin().url()).set(Setting.IP_GEOLOCATION, "on").build());
        java.net.http.HttpClient h2c = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < requests; i++) {
            edge.origin().clear();
            HttpResponse<String> response = h2c.send(java.net.http.HttpRequest.newBuilder(edge.uri("/h2c/" + i, false))
                    .header("CF-IPCountry", "US").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(edge.origin().last().header("CF-IPCountry")).as("request %d (%s)", i, response.version())
                    .isEqualTo("DE");
            assertThat(edge.origin().last().header("CF-Connecting-IP")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void pseudoIpv4OffLeavesIpv6VisitorsAlone() {
        RecordedRequest seen = through("pseudo-off.test", true);

        assertThat(seen.header("Cf-Pseudo-IPv4")).isNull();
        assertThat(seen.header("CF-Connecting-IPv6")).isNull();
        assertThat(seen.header("CF-Connecting-IP")).isEqualTo("::1");
    }

    @Test
    void pseudoIpv4AddHeaderGivesIpv6VisitorsAClassEAddressAndKeepsTheRealOne() {
        RecordedRequest seen = through("pseudo-add.test", true);

        String pseudo = PseudoIpv4Transform.pseudoIpv4(v6);
        assertThat(seen.header("Cf-Pseudo-IPv4")).isEqualTo(pseudo).startsWith("2");
        assertThat(seen.header("CF-Connecting-IP")).isEqualTo("::1");
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("::1");
        assertThat(seen.header("CF-Connecting-IPv6")).isNull();
    }

    @Test
    void pseudoIpv4OverwriteMovesTheRealAddressToConnectingIpv6() {
        RecordedRequest seen = through("pseudo-overwrite.test", true);

        String pseudo = PseudoIpv4Transform.pseudoIpv4(v6);
        assertThat(seen.header("Cf-Pseudo-IPv4")).isEqualTo(pseudo);
        assertThat(seen.header("CF-Connecting-IP")).isEqualTo(pseudo);
        assertThat(seen.header("X-Forwarded-For")).isEqualTo(pseudo);
        assertThat(seen.header("CF-Connecting-IPv6")).isEqualTo("::1");
    }

    @ParameterizedTest
    @CsvSource({"pseudo-add.test", "pseudo-overwrite.test"})
    void pseudoIpv4NeverTouchesIpv4Visitors(String host) {
        RecordedRequest seen = through(host, false);

        assertThat(seen.header("Cf-Pseudo-IPv4")).isNull();
        assertThat(seen.header("CF-Connecting-IPv6")).isNull();
        assertThat(seen.header("CF-Connecting-IP")).isEqualTo("127.0.0.1");
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
    }

    @ParameterizedTest(name = "{0} from {1} → True-Client-IP {2}")
    @CsvSource(nullValues = "none", value = {
        "tci-on.test,  127.0.0.1, 127.0.0.1",
        "tci-on.test,  ::1,       ::1",
        "tci-off.test, 127.0.0.1, none",
        "tci-off.test, ::1,       none",
    })
    void trueClientIp(String host, String visitor, String expected) {
        RecordedRequest seen = through(host, visitor.contains(":"));

        assertThat(seen.header("True-Client-IP")).isEqualTo(expected);
    }

    @Test
    void trueClientIpEqualsConnectingIpUnderPseudoOverwrite() {
        RecordedRequest seen = through("tci-overwrite.test", true);

        assertThat(seen.header("True-Client-IP")).isEqualTo(seen.header("CF-Connecting-IP"))
                .isEqualTo(PseudoIpv4Transform.pseudoIpv4(v6));
    }

    @ParameterizedTest(name = "{0}, tor={1}, ipv6={2} → alt-svc {3}")
    @CsvSource(nullValues = "none", value = {
        "onion-on.test,  true,  false, yes",
        "onion-on.test,  true,  true,  yes",
        "onion-on.test,  false, false, none",
        "onion-off.test, true,  false, none",
    })
    void opportunisticOnion(String host, boolean tor, boolean ipv6, String expected) {
        if (tor) {
            edge.torExits().add(ipv6 ? v6 : v4);
        }
        HttpResponse<String> response = edge.send(edge.request(host, "/", ipv6).GET());

        if (expected == null) {
            assertThat(response.headers().firstValue("alt-svc")).isEmpty();
        } else {
            assertThat(response.headers().allValues("alt-svc"))
                    .containsExactly("h2=\"" + ONION + ":443\"; ma=86400; persist=1");
        }
    }

    @Test
    void grpcOffRefusesGrpcWith403WithoutContactingTheOrigin() {
        HttpResponse<String> response = edge.send(edge.request("grpc-off.test", "/pkg.Svc/Call", false)
                .header("Content-Type", "application/grpc+proto")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {0, 0, 0, 0, 0})));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(edge.origin().requests()).isEmpty();
    }

    @Test
    void grpcOffStillPassesOrdinaryRequests() {
        assertThat(edge.get("grpc-off.test", "/").statusCode()).isEqualTo(200);
    }
}
