package zoneplane.system;

import zoneplane.testing.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.testing.TcpRelay;

/**
 * Issue 21 item 5: a node whose disk cache cannot be written keeps serving and says so (metric,
 * health detail); a node whose newest cache file is damaged starts, with the control plane out of
 * reach, from the previous generation, and says that its view may be stale and by how much (metric,
 * health detail, one log line). No visitor request fails.
 */
class DiskCacheFaultTest {

    @RegisterExtension
    static final SystemExtension system = SystemExtension.shared();

    private static final Duration BOUND = Duration.ofSeconds(40);
    private static final String STALE_LOG = "the view may be stale by that much";

    @Test
    void aCacheDirectoryThatCannotBeWrittenIsCountedAndShownWhileTheNodeKeepsServing() throws Exception {
        SystemHarness sys = system.system();
        String zone = "readonly.cache.example.com";
        String zoneId = sys.api().createZone(zone, "enterprise", sys.origin().url());
        Path cacheDir = unwritableDirectory();
        EdgeNodeProcess node = sys.startExtraNode("edge-rocache", Map.of("ZONEPLANE_CACHE_DIR", cacheDir.toString()));
        try (BackgroundTraffic traffic = new BackgroundTraffic(List.of(node), List.of(zone))) {
            await().atMost(BOUND).until(() -> node.metric("zoneplane_config_cache_write_failures_total") >= 1);
            assertThat(node.metric("zoneplane_config_cache_degraded")).isEqualTo(1.0);
            assertThat(node.healthDetails()).contains("\"status\":\"DEGRADED\"").contains("\"disk_cache\":\"degraded: cannot write");

            long revision = ApiClient.require(sys.api().patchSettings(zoneId, Map.of("true_client_ip_header", "on"))).revision();
            assertThat(node.awaitServed(revision, BOUND)).as("the node keeps applying changes").isPositive();
            assertThat(new Visitor().get(node.visitorBase(), zone, "/applied").originHas("true-client-ip")).isTrue();
            assertThat(node.ready()).isTrue();
            traffic.close();
            assertThat(traffic.failures()).as("visitor requests that failed").isEmpty();
            assertThat(traffic.answered()).isPositive();
        }
    }

    @Test
    void aDamagedNewestCacheFallsBackToThePreviousGenerationAndTheStaleViewIsTold() throws Exception {
        SystemHarness sys = system.system();
        String zone = "generations.cache.example.com";
        String zoneId = sys.api().createZone(zone, "enterprise", sys.origin().url());
        Path cacheDir = Files.createDirectories(Path.of("target", "system-data", "cache-generations-" + System.nanoTime())
                .toAbsolutePath());
        EdgeNodeProcess node = sys.startExtraNode("edge-generations", Map.of("ZONEPLANE_CACHE_DIR", cacheDir.toString()));
        Path newest = cacheDir.resolve("zone-view.bin");
        Path previous = cacheDir.resolve("zone-view.previous.bin");
        long created = sys.api().propagation(zoneId).get("latest_revision").asLong();
        assertThat(node.awaitServed(created, BOUND)).isPositive();
        await().atMost(BOUND).until(() -> Files.isRegularFile(newest));
        // A second generation: the newest file then holds the change, the previous one the zone without it.
        long changed = ApiClient.require(sys.api().patchSettings(zoneId, Map.of("true_client_ip_header", "on"))).revision();
        assertThat(node.awaitServed(changed, BOUND)).isPositive();
        await().atMost(BOUND).until(() -> Files.isRegularFile(previous));
        await().atMost(BOUND).until(() -> Files.getLastModifiedTime(newest).compareTo(Files.getLastModifiedTime(previous)) >= 0
                && node.servedRevision() == changed);
        node.process().terminate(Duration.ofSeconds(15));

        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(newest, bytes);
        TcpRelay relay = sys.extraRelay(node.nodeId());
        relay.cut();
        long staleLinesBefore = staleLines(node);
        try {
            node.start();
            node.awaitReady(SystemHarness.NODE_START);
            long served = node.servedRevision();
            assertThat(served).as("served from the previous generation").isPositive().isLessThan(changed);
            Visitor.Answer answer = new Visitor().get(node.visitorBase(), zone, "/from-previous-generation");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.originHas("true-client-ip")).as("the zone as the previous generation had it").isFalse();
            assertThat(Files.exists(cacheDir.resolve("zone-view.bin.corrupt"))).isTrue();

            await().atMost(BOUND).until(() -> staleLines(node) > staleLinesBefore);
            String details = node.healthDetails();
            assertThat(details).contains("\"status\":\"DEGRADED\"").contains("previous generation")
                    .contains("stale: serving the disk cache of revision " + served);
            assertThat(node.metric("zoneplane_config_cache_stale_seconds")).isPositive();
            try (BackgroundTraffic traffic = new BackgroundTraffic(List.of(node), List.of(zone))) {
                await().atMost(Duration.ofSeconds(5)).until(() -> traffic.answered() >= 20);
                traffic.close();
                assertThat(traffic.failures()).as("visitor requests that failed while the control plane was away").isEmpty();
            }
            assertThat(staleLines(node)).as("the stale view is logged once").isEqualTo(staleLinesBefore + 1);
        } finally {
            relay.restore();
        }
        assertThat(node.awaitServed(changed, BOUND)).as("caught up once the control plane is back").isPositive();
        await().atMost(BOUND).until(() -> node.metric("zoneplane_config_cache_stale_seconds") == 0.0);
        await().atMost(BOUND).until(() -> node.healthDetails().contains("\"config\":\"ok\""));
        assertThat(new Visitor().get(node.visitorBase(), zone, "/caught-up").originHas("true-client-ip")).isTrue();
    }

    /**
     * A cache directory the node cannot write: read-only, or, when the tests run as root (which
     * ignores permission bits), a path under a regular file.
     */
    private static Path unwritableDirectory() throws Exception {
        Path base = Files.createDirectories(Path.of("target", "system-data", "cache-readonly-" + System.nanoTime()).toAbsolutePath());
        Path dir = Files.createDirectories(base.resolve("cache"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (!Files.isWritable(dir)) {
            return dir;
        }
        Path file = Files.writeString(base.resolve("not-a-directory"), "x");
        return file.resolve("cache");
    }

    private static long staleLines(EdgeNodeProcess node) throws Exception {
        return Files.readAllLines(node.process().log(), StandardCharsets.UTF_8).stream().filter(l -> l.contains(STALE_LOG)).count();
    }
}
