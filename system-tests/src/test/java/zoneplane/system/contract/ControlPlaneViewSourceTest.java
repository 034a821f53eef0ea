package zoneplane.system.contract;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;
import zoneplane.testing.EmbeddedControlPlane;
import zoneplane.testing.InProcessNode;
import zoneplane.testing.TestChangeWriter;
import zoneplane.testing.TestDatabase;

/**
 * The contract for a node subscribed to a control plane ({@code ZONEPLANE_CONTROL_PLANE_URL}): the
 * zones are written to the control plane's database as the API writes them, and the node takes them
 * from the control plane's snapshot and change stream.
 */
class ControlPlaneViewSourceTest extends ViewSourceContract {

    private EmbeddedControlPlane controlPlane;
    private long revision;

    @Override
    protected InProcessNode startNode(Path dir) throws Exception {
        TestDatabase.Database db = TestDatabase.newDatabase();
        controlPlane = EmbeddedControlPlane.start(db);
        TestChangeWriter.ensureAccount(db);
        try (TestChangeWriter writer = new TestChangeWriter(db)) {
            for (ZoneConfig zone : view()) {
                revision = writer.createZone(zone.id(), zone.name(), zone.plan(), zone.origin());
                ZoneSettings defaults = ZoneSettings.defaultsFor(zone.plan());
                for (var setting : zone.settings().asMap().entrySet()) {
                    if (!setting.getValue().equals(defaults.get(setting.getKey()))) {
                        revision = writer.setSetting(zone.id(), setting.getKey(), setting.getValue());
                    }
                }
            }
        }
        InProcessNode node = InProcessNode.subscribedTo(controlPlane.baseUrl(), EmbeddedControlPlane.NODE_TOKEN,
                "contract-edge", dir.resolve("cache"));
        await().atMost(Duration.ofSeconds(30)).until(() -> node.revision() >= revision);
        return node;
    }

    @Override
    protected long revision() {
        return revision;
    }

    @Override
    protected void stopSource() {
        controlPlane.close();
    }
}
