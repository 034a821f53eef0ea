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
