package zoneplane.system.propagation;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import zoneplane.dataplane.subscriber.ConfigSubscriber;
import zoneplane.dataplane.subscriber.SubscriberOptions;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.testing.EmbeddedControlPlane;

/** Builds real data-plane subscribers with test-friendly timings. */
final class Subscribers {

    static final SubscriberOptions FAST = SubscriberOptions.defaults()
            .withBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
            .withIdleTimeout(Duration.ofSeconds(4))
            .withPersistInterval(Duration.ofMillis(300))
            .withReportInterval(Duration.ofMillis(500))
            .withAddress("127.0.0.1:8000");

    /** A subscriber plus what it publishes into and what it was seen to apply. */
    record Node(ConfigSubscriber subscriber, LiveZoneView live, RecordingListener recorder, SimpleMeterRegistry meters)
            implements AutoCloseable {
        @Override
        public void close() {
            subscriber.close();
        }

        double reconnects() {
            return meters.get("zoneplane.config.reconnects").counter().count();
        }

        double snapshots() {
            return meters.get("zoneplane.config.snapshots").counter().count();
        }
    }

    private Subscribers() {}

    static Node start(String baseUrl, String nodeId, Path cacheDir) {
        LiveZoneView live = new LiveZoneView();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RecordingListener recorder = new RecordingListener();
        ConfigSubscriber subscriber = new ConfigSubscriber(URI.create(baseUrl), EmbeddedControlPlane.NODE_TOKEN, nodeId,
                cacheDir, live, meters, FAST);
        subscriber.addListener(recorder);
        subscriber.start();
        return new Node(subscriber, live, recorder, meters);
    }
}
