package zoneplane.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.dataplane.support.Zones;

class MalformedRequestTest {

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build()));

    @BeforeEach
    void clear() {
        edge.origin().clear();
    }

    private static int send(String request) {
        return RawHttp.status(RawHttp.exchange("127.0.0.1", edge.httpPort(), request));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // smuggling: both framings
        "POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        // a coding the origin might not read as chunked
        "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
        // conflicting lengths
        "POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcd",
        // host problems
        "GET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a.test/evil\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a.test@b\r\n\r\n",
        // not HTTP at all
        "GARBAGE\r\n\r\n",
    })
    void malformedRequestGets400AndNeverReachesTheOrigin(String request) {
        assertThat(send(request)).isEqualTo(400);
        assertThat(edge.origin().requests()).isEmpty();
    }

    @Test
    void versionsTargetsAndChunkSizesGetTheirStatusWithAStatusLine() {
        String[][] cases = {
            {"GET / HTTP/2.0\r\nHost: a.test\r\n\r\n", "505"},
            {"GET / HTTP/1.2\r\nHost: a.test\r\n\r\n", "505"},
            {"GET /\r\n\r\n", "400"},
            {"OPTIONS * HTTP/1.1\r\nHost: a.test\r\n\r\n", "400"},
            {"GET http://user@a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n", "400"},
            {"POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n", "400"},
            {"POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff1\r\nhello\r\n0\r\n\r\n",
                "400"},
        };
        for (String[] c : cases) {
            assertThat(RawHttp.exchange("127.0.0.1", edge.httpPort(), c[0])).as(c[0]).startsWith("HTTP/1.1 " + c[1] + " ");
        }
        assertThat(edge.origin().requests()).isEmpty();
    }

    @Test
    void requestLinesUpTo8KiBPassAndLongerOnesGet414() {
        String fits = "/" + "a".repeat(8000);
        String tooLong = "/" + "a".repeat(8300);

        assertThat(send("GET " + fits + " HTTP/1.1\r\nHost: a.test\r\n\r\n")).isEqualTo(200);
        assertThat(edge.origin().last().uri()).isEqualTo(fits);
        assertThat(RawHttp.exchange("127.0.0.1", edge.httpPort(), "GET " + tooLong + " HTTP/1.1\r\nHost: a.test\r\n\r\n"))
                .startsWith("HTTP/1.1 414 ");
    }

    @Test
    void absoluteFormRoutesByItsAuthorityWhichReplacesHost() {
        int status = send("GET http://a.test:8080/abs?x=1 HTTP/1.1\r\nHost: elsewhere.test\r\n\r\n");

        assertThat(status).isEqualTo(200);
        assertThat(edge.origin().last().uri()).isEqualTo("/abs?x=1");
        assertThat(edge.origin().last().header("Host")).isEqualTo("a.test:8080");
    }

    @Test
    void oversizedHeadersAreRefusedBeforeRouting() {
        String big = "X-Big: " + "a".repeat(20_000) + "\r\n";
        int status = send("GET / HTTP/1.1\r\nHost: a.test\r\n" + big + "\r\n");

        assertThat(status).isIn(400, 431);
        assertThat(edge.origin().requests()).isEmpty();
    }

    @Test
    void wellFormedChunkedRequestStillPasses() {
        int status = send("POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n");

        assertThat(status).isEqualTo(200);
        assertThat(edge.origin().last().body()).hasSize(4);
    }
}
