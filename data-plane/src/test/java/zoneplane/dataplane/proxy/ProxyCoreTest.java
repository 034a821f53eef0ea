package zoneplane.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.dataplane.support.RecordedRequest;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.Setting;

class ProxyCoreTest {

    private static final String RAY = "[0-9a-f]{16}-TST";

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
            Zones.zone("a.test", origin.url()).build(),
            Zones.zone("noorigin.test", "").build(),
            Zones.zone("paused.test", origin.url()).paused().set(Setting.TRUE_CLIENT_IP_HEADER, "on").build(),
            Zones.zone("dead.test", "http://127.0.0.1:1").build()));

    @BeforeEach
    void clear() {
        edge.origin().clear();
    }

    @Test
    void knownHostIsProxiedWithIdentityHeadersAndTheSameRayBothWays() {
        HttpResponse<String> response = edge.get("a.test", "/path?q=1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok 0");
        RecordedRequest seen = edge.origin().last();
        assertThat(seen.uri()).isEqualTo("/path?q=1");
        assertThat(seen.header("Host")).isEqualTo("a.test");
        assertThat(seen.header("CF-Connecting-IP")).isEqualTo("127.0.0.1");
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.header("CF-Visitor")).isEqualTo("{\"scheme\":\"http\"}");
        assertThat(seen.header("CDN-Loop")).isEqualTo("zoneplane");
        assertThat(seen.header("CF-Ray")).matches(RAY);
        assertThat(response.headers().firstValue("cf-ray")).hasValue(seen.header("CF-Ray"));
    }

    @Test
    void originResponseLosesHopByHopHeadersAndItsOwnRay() {
        HttpResponse<String> response = edge.get("a.test", "/");

        assertThat(response.headers().firstValue("x-origin")).hasValue("yes");
        assertThat(response.headers().firstValue("x-private")).isEmpty();
        assertThat(response.headers().firstValue("keep-alive")).isEmpty();
        assertThat(response.headers().allValues("cf-ray")).hasSize(1);
        assertThat(response.headers().firstValue("cf-ray").orElseThrow()).matches(RAY);
    }

    @Test
    void subdomainIsServedByItsParentZoneCaseInsensitively() {
        assertThat(edge.get("API.a.test:8000", "/").statusCode()).isEqualTo(200);
        assertThat(edge.origin().last().header("Host")).isEqualTo("API.a.test:8000");
    }

    @Test
    void unknownHostGets404PageNamingTheRayWithoutContactingAnyOrigin() {
        HttpResponse<String> response = edge.get("nobody.example", "/");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains(response.headers().firstValue("cf-ray").orElseThrow());
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
        assertThat(edge.origin().requests()).isEmpty();
    }

    @Test
    void zoneWithoutOriginGets530() {
        HttpResponse<String> response = edge.get("noorigin.test", "/");

        assertThat(response.statusCode()).isEqualTo(530);
        assertThat(response.body()).contains("noorigin.test").contains(response.headers().firstValue("cf-ray").get());
    }

    @Test
    void visitorSuppliedIdentityHeadersNeverReachTheOrigin() {
        edge.send(edge.request("a.test", "/", false)
                .header("CF-Connecting-IP", "1.2.3.4")
                .header("CF-Connecting-IPv6", "2001:db8::1")
                .header("CF-IPCountry", "US")
                .header("Cf-Pseudo-IPv4", "240.1.1.1")
                .header("True-Client-IP", "1.2.3.4")
                .header("CF-Ray", "0000000000000000-FAKE")
                .header("CF-Visitor", "{\"scheme\":\"https\"}")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-For", "9.9.9.9, 8.8.8.8"));

        RecordedRequest seen = edge.origin().last();
        assertThat(seen.header("CF-Connecting-IP")).isEqualTo("127.0.0.1");
        assertThat(seen.header("CF-Connecting-IPv6")).isNull();
        assertThat(seen.header("CF-IPCountry")).isEqualTo("XX");
        assertThat(seen.header("Cf-Pseudo-IPv4")).isNull();
        assertThat(seen.header("True-Client-IP")).isNull();
        assertThat(seen.header("CF-Ray")).matches(RAY);
        assertThat(seen.header("CF-Visitor")).isEqualTo("{\"scheme\":\"http\"}");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.headers().getAll("X-Forwarded-For")).containsExactly("9.9.9.9, 8.8.8.8,127.0.0.1");
    }

    @Test
    void ipv6VisitorIsReportedInCompressedForm() {
        edge.send(edge.request("a.test", "/", true).GET());

        assertThat(edge.origin().last().header("CF-Connecting-IP")).isEqualTo("::1");
        assertThat(edge.origin().last().header("X-Forwarded-For")).isEqualTo("::1");
    }

    @Test
    void hopByHopRequestHeadersAreRemovedIncludingThoseConnectionNames() {
        String response = RawHttp.exchange("127.0.0.1", edge.httpPort(), "GET / HTTP/1.1\r\nHost: a.test\r\n"
                + "Connection: keep-alive, X-Secret\r\nX-Secret: 1\r\nKeep-Alive: timeout=5\r\nTE: gzip\r\n"
                + "Proxy-Authorization: Basic eDp5\r\nProxy-Connection: keep-alive\r\nUpgrade: h2c-nope\r\n"
                + "Trailer: X-T\r\nX-Kept: yes\r\n\r\n");

        assertThat(RawHttp.status(response)).isEqualTo(200);
        RecordedRequest seen = edge.origin().last();
        assertThat(seen.header("X-Kept")).isEqualTo("yes");
        for (String name : List.of("X-Secret", "Keep-Alive", "TE", "Proxy-Authorization", "Proxy-Connection",
                "Upgrade", "Trailer")) {
            assertThat(seen.header(name)).as(name).isNull();
        }
    }

    @Test
    void requestThatAlreadyPassedThroughTheEdgeGets508WithoutReachingTheOrigin() {
        HttpResponse<String> response = edge.send(edge.request("a.test", "/", false)
                .header("CDN-Loop", "other-cdn, zoneplane; v=1"));

        assertThat(response.statusCode()).isEqualTo(508);
        assertThat(edge.origin().requests()).isEmpty();
    }

    @Test
    void otherCdnLoopEntriesAreKeptAndOursAppended() {
        edge.send(edge.request("a.test", "/", false).header("CDN-Loop", "other-cdn"));

        assertThat(edge.origin().last().header("CDN-Loop")).isEqualTo("other-cdn, zoneplane");
    }

    @Test
    void originPointingBackAtTheEdgeIsCaughtAsALoop() {
        edge.publish(Zones.zone("loop.test", "http://127.0.0.1:" + edge.httpPort()).build());

        HttpResponse<String> response = edge.get("loop.test", "/");

        assertThat(response.statusCode()).isEqualTo(508);
    }

    @Test
    void refusedOriginGives502PageNamingTheRay() {
        HttpResponse<String> response = edge.get("dead.test", "/");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains(response.headers().firstValue("cf-ray").orElseThrow());
    }

    @Test
    void originSlowerThanTheResponseTimeoutGives504() {
        HttpResponse<String> response = edge.get("a.test", "/slow");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains(response.headers().firstValue("cf-ray").orElseThrow());
    }

    @Test
    void pausedZoneGoesToTheOriginWithoutSettingsButWithIdentity() {
        edge.get("paused.test", "/");

        RecordedRequest seen = edge.origin().last();
        assertThat(seen.header("CF-IPCountry")).isNull();
        assertThat(seen.header("True-Client-IP")).isNull();
        assertThat(seen.header("CF-Connecting-IP")).isEqualTo("127.0.0.1");
    }

    @Test
    void bodiesStreamBothWays() {
        byte[] upload = new byte[3 * 1024 * 1024];
        HttpResponse<String> up = edge.send(edge.request("a.test", "/upload", false)
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload)));
        HttpResponse<byte[]> down;
        try {
            down = edge.client().send(edge.request("a.test", "/big?n=5000000", false).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        assertThat(up.body()).isEqualTo("ok " + upload.length);
        assertThat(down.body()).hasSize(5_000_000);
    }

    @Test
    void headRequestKeepsTheOriginsLengthWithoutABody() {
        HttpResponse<String> response = edge.send(edge.request("a.test", "/big?n=1234", false)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-length")).hasValue("1234");
        assertThat(response.body()).isEmpty();
        assertThat(edge.origin().last().method()).isEqualTo("HEAD");
    }

    @Test
    void originConnectionsAreKeptAliveAndReused() {
        for (int i = 0; i < 10; i++) {
            edge.get("a.test", "/" + i);
        }
        Set<Integer> ports = new HashSet<>();
        edge.origin().requests().forEach(r -> ports.add(r.peer().getPort()));

        assertThat(edge.origin().requests()).hasSize(10);
        assertThat(ports).hasSizeLessThanOrEqualTo(2);
    }
}
