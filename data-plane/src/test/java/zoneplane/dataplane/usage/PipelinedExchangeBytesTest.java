package zoneplane.dataplane.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.dataplane.support.Zones;

/**
 * Pipelined HTTP/1.1: three requests of different sizes in one TCP write. Each exchange's record carries
 * its own request's bytes and its own response's bytes as the visitor read them, on the plain-Netty path
 * and on Reactor Netty's, never a neighbour's and never the whole write. (The last request keeps the
 * connection open: on Reactor Netty's path a pipelined {@code Connection: close} closes the connection
 * after the response in progress, and the requests queued behind it go unanswered.)
 */
class PipelinedExchangeBytesTest {

    static final Queue<ExchangeRecord> fastRecords = new ConcurrentLinkedQueue<>();
    static final Queue<ExchangeRecord> reactorRecords = new ConcurrentLinkedQueue<>();

    @RegisterExtension
    static ProxyExtension fast = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build()))
            .listener(fastRecords::add);

    @RegisterExtension
    static ProxyExtension reactor = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build()))
            .env(DataPlaneConfigLoader.HTTP1_FAST_PATH, "false")
            .listener(reactorRecords::add);

    static final List<String> REQUESTS = List.of(
            "GET /pipelined/1 HTTP/1.1\r\nHost: a.test\r\n\r\n",
            "GET /pipelined/22?with=query HTTP/1.1\r\nHost: a.test\r\nUser-Agent: pipelining-test/1.0\r\n\r\n",
            "POST /pipelined/333 HTTP/1.1\r\nHost: a.test\r\nContent-Length: 11\r\n\r\nhello world");

    @Test
    void onThePlainNettyPathEachPipelinedExchangeCountsItsOwnBytes() throws Exception {
        assertEachExchangeCountsItsOwnBytes(fast, fastRecords);
    }

    @Test
    void onReactorNettysPathEachPipelinedExchangeCountsItsOwnBytes() throws Exception {
        assertEachExchangeCountsItsOwnBytes(reactor, reactorRecords);
    }

    private static void assertEachExchangeCountsItsOwnBytes(ProxyExtension edge, Queue<ExchangeRecord> records)
            throws Exception {
        RawHttp.Exchange answer = RawHttp.untilClosed("127.0.0.1", edge.httpPort(), String.join("", REQUESTS), 3_000);
        List<Integer> responseSizes = responseSizes(answer.bytes());
        assertThat(responseSizes).as(answer.text()).hasSize(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> records.size() >= 3);

        List<ExchangeRecord> byOrder = records.stream()
                .sorted(java.util.Comparator.comparing(ExchangeRecord::uri)).toList();
        assertThat(byOrder).extracting(ExchangeRecord::uri)
                .containsExactly("/pipelined/1", "/pipelined/22?with=query", "/pipelined/333");
        assertThat(byOrder).extracting(ExchangeRecord::edgeStatus).containsOnly(200);
        assertThat(byOrder).as("edge response bytes").extracting(ExchangeRecord::edgeResponseBytes)
                .containsExactlyElementsOf(responseSizes.stream().map(Integer::longValue).toList());
        assertThat(byOrder).as("request bytes").extracting(ExchangeRecord::requestBytes)
                .containsExactlyElementsOf(REQUESTS.stream().map(r -> (long) r.length()).toList());
    }

    /** The responses one after another on the wire: each head, then its Content-Length or chunked body. */
    static List<Integer> responseSizes(byte[] wire) {
        String text = new String(wire, StandardCharsets.ISO_8859_1);
        List<Integer> sizes = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int headEnd = text.indexOf("\r\n\r\n", at);
            if (headEnd < 0) {
                throw new AssertionError("an unfinished response head at " + at + ": " + text.substring(at));
            }
            String head = text.substring(at, headEnd).toLowerCase(Locale.ROOT);
            int end = headEnd + 4;
            int length = header(head, "content-length");
            if (length >= 0) {
                end += length;
            } else if (head.contains("\ntransfer-encoding: chunked")) {
                while (true) {
                    int lineEnd = text.indexOf("\r\n", end);
                    int chunk = Integer.parseInt(text.substring(end, lineEnd).trim(), 16);
                    end = lineEnd + 2 + chunk + 2;
                    if (chunk == 0) {
                        break;
                    }
                }
            }
            sizes.add(end - at);
            at = end;
        }
        return sizes;
    }

    private static int header(String head, String name) {
        for (String line : head.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Integer.parseInt(line.substring(name.length() + 1).trim());
            }
        }
        return -1;
    }
}
