package zoneplane.dataplane.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.MutableClock;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.dataplane.support.UsageReceiver;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.wire.UsageReport;

/** With {@code ZONEPLANE_HTTP1_FAST_PATH=false} Reactor Netty serves HTTP/1.1: the same hook, the same bytes. */
class UsageOnReactorHttp1PathTest {

    static final Instant M0 = Instant.parse("2026-12-07T15:00:00Z");
    static final MutableClock clock = new MutableClock(M0.plusSeconds(1));
    static final UsageReceiver receiver = new UsageReceiver("reactor-token");

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build()))
            .env(DataPlaneConfigLoader.HTTP1_FAST_PATH, "false")
            .env(DataPlaneConfigLoader.USAGE_URL, receiver.url())
            .env(DataPlaneConfigLoader.NODE_TOKEN, "reactor-token")
            .clock(clock);

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void aRequestReactorNettyServesCountsTheBytesTheVisitorRead() throws Exception {
        String request = "GET /reactor HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n";
        RawHttp.Exchange answer = RawHttp.untilClosed("127.0.0.1", edge.httpPort(), request, 10_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> edge.node().usage().recorded() == 1);

        clock.set(M0.plusSeconds(61));
        String zone = edge.node().view().current().route("a.test").id();
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.minute(zone, M0) != null);

        UsageReport.HttpGroup group = receiver.minute(zone, M0).http().get(0);
        assertThat(RawHttp.status(new String(answer.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1)))
                .isEqualTo(200);
        assertThat(List.of(group.requests(), group.status(), group.bytesToClient(), group.bytesFromClient()))
                .containsExactly(1L, 200, (long) answer.bytes().length, (long) request.length());
        assertThat(group.protocol()).isEqualTo("HTTP/1.1");
    }
}
