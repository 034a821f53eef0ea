package zoneplane.controlplane.distribution;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import zoneplane.dataplane.subscriber.ConfigSubscriber;
import zoneplane.dataplane.subscriber.SubscriberOptions;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.SettingValue;

/** Builds real data-plane subscribers with test-friendly timings, and random legal setting changes. */
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
        ConfigSubscriber subscriber = new ConfigSubscriber(URI.create(baseUrl), ControlPlaneInstance.NODE_TOKEN, nodeId,
                cacheDir, live, meters, FAST);
        subscriber.addListener(recorder);
        subscriber.start();
        return new Node(subscriber, live, recorder, meters);
    }

    /** A legal change for a zone on {@code plan}: an editable setting and one of its allowed values. */
    record SettingChange(Setting setting, SettingValue value) {}

    static SettingChange randomChange(Random random, Plan plan) {
        List<Setting> editable = java.util.Arrays.stream(Setting.values()).filter(s -> s.editableOn(plan)).toList();
        Setting setting = editable.get(random.nextInt(editable.size()));
        List<SettingValue> allowed = setting.allowedOn(plan);
        return new SettingChange(setting, allowed.get(random.nextInt(allowed.size())));
    }
}
