package zoneplane.dataplane.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.GrpcEcho;
import zoneplane.dataplane.support.MutableClock;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.UsageReceiver;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.Setting;
import zoneplane.model.wire.UsageReport;

/**
 * Issue 22 item 2: the control plane's usage endpoint down for three closed minutes, then up. Every minute
 * arrives (spooled meanwhile, retried with backoff), once per (node, zone, minute), with its exact request
 * counts; the spool drains; the pipeline's meters say what happened and pass {@code promtool check metrics}.
 */
class UsageShippingOutageTest {

    static final Instant M0 = Instant.parse("2026-12-07T11:00:00Z");
    static final String TOKEN = "outage-node-token";
    static final MutableClock clock = new MutableClock(M0.plusSeconds(3));
    static final UsageReceiver receiver = new UsageReceiver(TOKEN);
    static final Server grpcOrigin = GrpcEcho.start();

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
                    Zones.zone("a.test", origin.url()).build(),
                    Zones.zone("grpc.test", "http://127.0.0.1:" + grpcOrigin.getPort()).set(Setting.GRPC, "on").build()))
            .env(DataPlaneConfigLoader.USAGE_URL, receiver.url())
            .env(DataPlaneConfigLoader.NODE_TOKEN, TOKEN)
            .env(DataPlaneConfigLoader.USAGE_RETRY_MIN, "50ms")
            .env(DataPlaneConfigLoader.USAGE_RETRY_MAX, "200ms")
            .clock(clock);

    private static long recorded;

    @AfterAll
    static void stop() throws InterruptedException {
        receiver.close();
        grpcOrigin.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static String zoneId(String host) {
        return edge.node().view().current().route(host).id();
    }

    private static void get(int times) {
        for (int i = 0; i < times; i++) {
            assertThat(edge.get("a.test", "/outage/" + i).statusCode()).isEqualTo(200);
        }
    }

    private static void awaitRecorded(int more) {
        long target = recorded + more;
        await().atMost(Duration.ofSeconds(20)).until(() -> edge.node().usage().recorded() >= target);
        recorded = target;
    }

    private static String metrics() throws IOException, InterruptedException {
        return edge.client().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + edge.node().managementPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static long requests(UsageReport.ZoneMinute minute) {
        return minute.http().stream().mapToLong(UsageReport.HttpGroup::requests).sum();
    }

    @Test
    void minutesClosedWhileTheControlPlaneIsDownAllArriveOnceWhenItIsBack() throws Exception {
        receiver.down(true);
        recorded = edge.node().usage().recorded();
        get(2);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", edge.httpPort()).usePlaintext()
                .overrideAuthority("grpc.test").build();
        try {
            assertThat(ClientCalls.blockingUnaryCall(channel, GrpcEcho.UNARY,
                    io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "hi")).isEqualTo("echo:hi");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        awaitRecorded(3);
        clock.set(M0.plusSeconds(61));
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.refused() >= 2);
        get(1);
        awaitRecorded(1);
        clock.set(M0.plusSeconds(121));
        get(3);
        awaitRecorded(3);
        clock.set(M0.plusSeconds(181));
        await().atMost(Duration.ofSeconds(20)).until(() -> metric(metrics(), "zoneplane_edge_usage_spool_bytes") > 0
                && metric(metrics(), "zoneplane_edge_usage_oldest_unshipped_seconds") >= 120);
        assertThat(receiver.minutes()).isEmpty();

        receiver.down(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.minutes().size() == 4);

        assertThat(requests(receiver.minute(zoneId("a.test"), M0))).isEqualTo(2);
        assertThat(requests(receiver.minute(zoneId("a.test"), M0.plusSeconds(60)))).isEqualTo(1);
        assertThat(requests(receiver.minute(zoneId("a.test"), M0.plusSeconds(120)))).isEqualTo(3);
        UsageReport.ZoneMinute grpc = receiver.minute(zoneId("grpc.test"), M0);
        assertThat(grpc.http()).hasSize(1);
        UsageReport.HttpGroup call = grpc.http().get(0);
        assertThat(List.of(call.kind(), call.protocol(), call.status(), call.requests()))
                .containsExactly("grpc", "HTTP/2", 200, 1L);
        assertThat(call.bytesToClient()).isGreaterThan(0);
        assertThat(receiver.duplicates()).isZero();
        assertThat(receiver.problems()).isEmpty();
        await().atMost(Duration.ofSeconds(20)).until(() -> metric(metrics(), "zoneplane_edge_usage_spool_bytes") == 0);
        String scrape = metrics();
        assertThat(metric(scrape, "zoneplane_edge_usage_shipped_total")).isEqualTo(4);
        assertThat(metric(scrape, "zoneplane_edge_usage_ship_failures_total")).isGreaterThanOrEqualTo(2);
        assertThat(metric(scrape, "zoneplane_edge_usage_dropped_total")).isZero();
        assertThat(metric(scrape, "zoneplane_edge_usage_oldest_unshipped_seconds")).isZero();
        assertThat(promtool(scrape)).isEmpty();
    }

    /** {@code promtool check metrics}'s complaints ("" when clean; skipped where promtool is not installed). */
    private static String promtool(String scrape) throws IOException, InterruptedException {
        Path file = Files.createTempFile("usage-metrics", ".txt");
        Files.writeString(file, scrape);
        ProcessBuilder check = new ProcessBuilder("sh", "-c", "command -v promtool >/dev/null || exit 0; "
                + "promtool check metrics < '" + file + "'").redirectErrorStream(true);
        Process process = check.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        Files.delete(file);
        return out.lines().filter(l -> l.contains("zoneplane_edge_usage")).reduce("", (a, b) -> a + b + "\n");
    }
}
