package zoneplane.dataplane.headers;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EdgeHeadersTest {

    @ParameterizedTest(name = "CDN-Loop \"{0}\" names zoneplane {1} time(s)")
    @CsvSource(delimiter = '|', value = {
        "other| 0",
        "zoneplane| 1",
        "ZonePlane ; v=2| 1",
        "a, zoneplane, b,zoneplane| 2",
        "zoneplane-fake| 0",
    })
    void cdnLoopCount(String value, int count) {
        HttpHeaders headers = new DefaultHttpHeaders().add("CDN-Loop", value);

        assertThat(EdgeHeaders.cdnLoopCount(headers)).isEqualTo(count);
    }

    @Test
    void connectionTokensNeverRemoveFramingRoutingOrIdentityFields() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Host", "a.test").add("Content-Length", "5")
                .add("Content-Type", "text/plain").add("CF-Ray", "r").add("CF-Connecting-IP", "1.2.3.4")
                .add("CDN-Loop", "x").add("X-Private", "secret").add("Connection",
                        "keep-alive, content-length, HOST, Content-Type,CF-Ray, cf-connecting-ip, CDN-Loop, X-Private");

        EdgeHeaders.removeHopByHop(headers, false);

        assertThat(headers.names()).containsExactlyInAnyOrder("Host", "Content-Length", "Content-Type", "CF-Ray",
                "CF-Connecting-IP", "CDN-Loop");
    }

    @Test
    void teTrailersSurvivesOnlyWhenAsked() {
        HttpHeaders kept = new DefaultHttpHeaders().add("TE", "trailers, deflate").add("Connection", "te");
        HttpHeaders dropped = new DefaultHttpHeaders().add("TE", "trailers");

        EdgeHeaders.removeHopByHop(kept, true);
        EdgeHeaders.removeHopByHop(dropped, false);

        assertThat(kept.get("TE")).isEqualTo("trailers");
        assertThat(dropped.contains("TE")).isFalse();
    }

    @Test
    void rayIdsHaveSixteenHexDigitsAndTheNode() {
        RayIds rays = new RayIds("AMS");

        assertThat(rays.next()).matches("[0-9a-f]{16}-AMS");
        assertThat(rays.next()).isNotEqualTo(rays.next());
    }

}
