package zoneplane.dataplane.subscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.dataplane.view.ZoneView;

/** A node whose control plane is unreachable boots from its disk cache, and refuses a corrupt one. */
class ConfigSubscriberOfflineTest {

    @TempDir
    Path dir;

    private static final SubscriberOptions FAST = SubscriberOptions.defaults()
            .withBackoff(Duration.ofMillis(10), Duration.ofMillis(100));

    /** A loopback port nothing listens on: connections are refused, as with a control plane that is down. */
    private static URI deadControlPlane() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return URI.create("http://127.0.0.1:" + port);
    }

    @Test
    void bootsFromTheDiskCacheWhileTheControlPlaneIsDown() throws IOException {
        ZoneView cached = ViewCacheTest.sampleView(99, 30);
        new ViewCache(dir).save(cached);
        LiveZoneView live = new LiveZoneView();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        try (ConfigSubscriber subscriber = new ConfigSubscriber(deadControlPlane(), "token", "edge-1", dir, live, meters, FAST)) {
            subscriber.start();

            // Published synchronously by start(): ready to serve before any contact.
            assertThat(live.loaded()).isTrue();
            assertThat(live.current().revision()).isEqualTo(99);
            assertThat(live.current().route("www.zone7.example.com:8000")).isEqualTo(cached.zone("zone7.example.com").orElseThrow());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> meters.get("zoneplane.config.reconnects").counter().count() >= 3);
            assertThat(live.current().revision()).isEqualTo(99);
            assertThat(meters.get("zoneplane.config.revision.lag").gauge().value()).isEqualTo(0.0);
        }
    }

    @Test
    void theDiskCacheIsPublishedOnTheCallersThreadBeforeTheHttpClientIsBuilt() throws IOException {
        new ViewCache(dir).save(ViewCacheTest.sampleView(7, 3));
        LiveZoneView live = new LiveZoneView();
        List<String> seen = new CopyOnWriteArrayList<>();

        try (ConfigSubscriber subscriber = new ConfigSubscriber(deadControlPlane(), "token", "edge-1", dir, live,
                new SimpleMeterRegistry(), FAST)) {
            subscriber.addListener((view, changes) -> seen.add("revision " + view.revision() + " on "
                    + Thread.currentThread().getName() + ", client built " + subscriber.controlPlaneClientBuilt()));
            subscriber.start();

            assertThat(seen).containsExactly("revision 7 on " + Thread.currentThread().getName() + ", client built false");
            // The first request (report or snapshot, on another thread) builds it.
            await().atMost(Duration.ofSeconds(10)).until(subscriber::controlPlaneClientBuilt);
        }
    }

    @Test
    void aCorruptCacheIsRefusedWithoutCrashingAndTheNodeWaitsForTheControlPlane() throws IOException {
        ViewCache cache = new ViewCache(dir);
        cache.save(ViewCacheTest.sampleView(5, 10));
        byte[] bytes = Files.readAllBytes(cache.file());
        bytes[bytes.length / 3] ^= 0x01;
        Files.write(cache.file(), bytes);
        LiveZoneView live = new LiveZoneView();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        try (ConfigSubscriber subscriber = new ConfigSubscriber(deadControlPlane(), "token", "edge-1", dir, live, meters, FAST)) {
            subscriber.start();

            assertThat(live.loaded()).isFalse();
            assertThat(dir.resolve(ViewCache.FILE_NAME + ".corrupt")).exists();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> meters.get("zoneplane.config.reconnects").counter().count() >= 2);
            assertThat(live.loaded()).isFalse();
            assertThat(subscriber.appliedRevision()).isZero();
        }
    }
}
