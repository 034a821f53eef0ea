package zoneplane.dataplane.subscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.model.Change;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;
import zoneplane.model.wire.WireFormat;

/**
 * Issue 21 item 1 on the node: a change line it cannot decode is refused (skipped, counted, reported
 * as a NACK) while every later change of every other zone applies; the refused zone keeps its last
 * good config until a later change of it, or a snapshot, makes it current again. The lag is measured
 * against the head revision the heartbeats announce.
 */
class ConfigSubscriberRefusalTest {

    private static final String A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final SubscriberOptions FAST = SubscriberOptions.defaults()
            .withBackoff(Duration.ofMillis(10), Duration.ofMillis(100)).withReportInterval(Duration.ofMillis(200));

    @TempDir
    Path dir;

    private static ZoneConfig zone(String id, String name, Map<String, String> settings) {
        return new ZoneConfig(id, name, Plan.PRO, "http://origin.example", false, ZoneSettings.effective(Plan.PRO, settings));
    }

    private static String upsert(long revision, ZoneConfig zone) {
        return WireFormat.changeToJson(new Change.ZoneUpserted(revision, zone));
    }

    /** Zone B's change with a websockets value no node knows: valid JSON, undecodable change. */
    private static String poisoned(long revision) {
        return "{\"revision\":" + revision + ",\"type\":\"zone_upserted\",\"zone\":{\"id\":\"" + B
                + "\",\"name\":\"b.example.com\",\"plan\":\"pro\",\"origin\":null,\"paused\":false,"
                + "\"settings\":{\"websockets\":\"maybe\"}}}";
    }

    private static String websockets(LiveZoneView live, String name) {
        return live.current().zone(name).orElseThrow().settings().get(Setting.WEBSOCKETS).text();
    }

    @Test
    void aRefusedChangeIsReportedWhileOtherZonesFollowAndALaterChangeOfItsZoneRecoversIt() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        LiveZoneView live = new LiveZoneView();
        try (ScriptedControlPlane cp = new ScriptedControlPlane()) {
            cp.snapshot(2, List.of(zone(A, "a.example.com", Map.of()), zone(B, "b.example.com", Map.of())));
            cp.append(upsert(3, zone(A, "a.example.com", Map.of("websockets", "off"))));
            cp.append(poisoned(4));
            cp.append(upsert(5, zone(A, "a.example.com", Map.of("websockets", "off", "grpc", "on"))));
            try (ConfigSubscriber subscriber = new ConfigSubscriber(cp.url(), "token", "edge-1", dir, live, meters, FAST)) {
                subscriber.start();

                await().atMost(BOUND).until(() -> subscriber.appliedRevision() == 5);
                assertThat(live.current().zone("a.example.com").orElseThrow().settings().get(Setting.GRPC).text()).isEqualTo("on");
                assertThat(websockets(live, "b.example.com")).as("zone B keeps its last good config").isEqualTo("on");
                assertThat(meters.get("zoneplane.config.changes.refused").counter().count()).isEqualTo(1.0);
                assertThat(meters.get("zoneplane.config.refused.zones").gauge().value()).isEqualTo(1.0);
                await().atMost(BOUND).until(() -> cp.lastReport() != null && cp.lastReport().contains("\"applied_revision\":5"));
                assertThat(cp.lastReport()).contains("\"refused\":[{\"revision\":4,\"zone_id\":\"" + B + "\",\"reason\":\"")
                        .contains("maybe");

                // The head is ahead of what the stream has sent: the lag says so.
                cp.heartbeat(9);
                await().atMost(BOUND).until(() -> meters.get("zoneplane.config.revision.lag").gauge().value() == 4.0);

                // The next good change of zone B applies and takes it off the list.
                cp.append(upsert(6, zone(B, "b.example.com", Map.of("websockets", "off"))));
                await().atMost(BOUND).until(() -> subscriber.appliedRevision() == 6);
                assertThat(websockets(live, "b.example.com")).isEqualTo("off");
                assertThat(meters.get("zoneplane.config.refused.zones").gauge().value()).isZero();
                await().atMost(BOUND).until(() -> cp.lastReport().contains("\"applied_revision\":6,\"refused\":[]"));
                assertThat(meters.get("zoneplane.config.reconnects").counter().count())
                        .as("a refused change does not drop the connection").isZero();
            }
        }
    }

    @Test
    void aSnapshotReplacesTheZonesHeldAfterRefusedChanges() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        LiveZoneView live = new LiveZoneView();
        try (ScriptedControlPlane cp = new ScriptedControlPlane()) {
            cp.snapshot(1, List.of(zone(B, "b.example.com", Map.of())));
            cp.append(poisoned(2));
            cp.append("{\"revision\":3,\"type\":\"zone_teleported\"}"); // names no zone at all
            try (ConfigSubscriber subscriber = new ConfigSubscriber(cp.url(), "token", "edge-1", dir, live, meters, FAST)) {
                subscriber.start();
                await().atMost(BOUND).until(() -> subscriber.appliedRevision() == 3);
                assertThat(meters.get("zoneplane.config.refused.zones").gauge().value()).isEqualTo(2.0);
                await().atMost(BOUND).until(() -> cp.lastReport() != null && cp.lastReport().contains("\"zone_id\":null"));

                cp.snapshot(4, List.of(zone(B, "b.example.com", Map.of("websockets", "off"))));
                cp.endStreamsThenGone();
                await().atMost(BOUND).until(() -> subscriber.appliedRevision() == 4);
                assertThat(websockets(live, "b.example.com")).isEqualTo("off");
                assertThat(meters.get("zoneplane.config.refused.zones").gauge().value()).isZero();
                assertThat(meters.get("zoneplane.config.changes.refused").counter().count()).isEqualTo(2.0);
                await().atMost(BOUND).until(() -> cp.lastReport().contains("\"applied_revision\":4,\"refused\":[]"));
            }
        }
    }

    @Test
    void aLineThatCannotBePlacedStillEndsTheConnection() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        LiveZoneView live = new LiveZoneView();
        try (ScriptedControlPlane cp = new ScriptedControlPlane()) {
            cp.snapshot(1, List.of(zone(A, "a.example.com", Map.of())));
            try (ConfigSubscriber subscriber = new ConfigSubscriber(cp.url(), "token", "edge-1", dir, live, meters, FAST)) {
                subscriber.start();
                await().atMost(BOUND).until(() -> subscriber.appliedRevision() == 1);
                cp.append("{\"truncated\":"); // not JSON: the stream itself is broken, so the node reconnects
                await().atMost(BOUND).until(() -> meters.get("zoneplane.config.reconnects").counter().count() >= 1);
                assertThat(meters.get("zoneplane.config.changes.refused").counter().count()).isZero();
                assertThat(subscriber.appliedRevision()).isEqualTo(1);
            }
        }
    }
}
