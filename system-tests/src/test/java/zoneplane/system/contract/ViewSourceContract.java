package zoneplane.system.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;
import zoneplane.testing.InProcessNode;
import zoneplane.testing.RecordingOrigin;

/**
 * What a data-plane node serves must not depend on where its zone view came from. Each subclass
 * starts a real node whose view holds {@link #ZONES} one way (a snapshot file, a control plane's
 * stream, a disk cache in each format the node reads), and this suite sends real requests through
 * the node's HTTP listener to a real {@link RecordingOrigin}, as Zipkin's {@code ITSpanStore} runs one
 * suite against every storage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ViewSourceContract {

    /** One zone of the view: its name, plan and the settings it changed from the plan's defaults. */
    record Zone(String name, Plan plan, Map<Setting, String> settings) {

        String id() {
            return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.US_ASCII)).toString().replace("-", "");
        }

        ZoneConfig config(String origin) {
            ZoneSettings chosen = ZoneSettings.defaultsFor(plan);
            for (Map.Entry<Setting, String> setting : settings.entrySet()) {
                chosen = chosen.with(setting.getKey(), setting.getKey().value(setting.getValue()).orElseThrow());
            }
            return new ZoneConfig(id(), name, plan, origin, false, chosen);
        }
    }

    /** Visitor addresses its origin sees (True-Client-IP) and no geolocation header. */
    static final Zone REVEALING = new Zone("contract-revealing.example", Plan.ENTERPRISE,
            Map.of(Setting.TRUE_CLIENT_IP_HEADER, "on", Setting.IP_GEOLOCATION, "off"));
    /** The plan's defaults: geolocation on, no True-Client-IP. */
    static final Zone PLAIN = new Zone("contract-plain.example", Plan.FREE, Map.of());
    static final List<Zone> ZONES = List.of(REVEALING, PLAIN);

    private RecordingOrigin origin;
    private Path dir;
    private InProcessNode node;
    private long revision;

    /** The view this implementation's node must serve: every zone, with its origin. */
    protected final List<ZoneConfig> view() {
        return ZONES.stream().map(zone -> zone.config(origin.url())).toList();
    }

    /**
     * Starts a node whose view holds {@link #view()} the way this implementation delivers it, using
     * {@code dir} for any files, and returns it once it serves that view; {@link #revision()} then
     * names the view's revision.
     */
    protected abstract InProcessNode startNode(Path dir) throws Exception;

    /** The revision of the view the implementation delivered. */
    protected abstract long revision();

    /** Stops whatever the implementation started besides the node. */
    protected void stopSource() {}

    @BeforeAll
    void startOriginAndNode() throws Exception {
        origin = new RecordingOrigin();
        dir = Files.createTempDirectory("zoneplane-contract-");
        node = startNode(dir);
        revision = revision();
    }

    @AfterAll
    void stopNodeAndOrigin() throws IOException {
        try {
            if (node != null) {
                node.close();
            }
            stopSource();
        } finally {
            origin.close();
        }
    }

    private String get(String host, String testId) throws IOException {
        return node.get(host, "/contract", Map.of(RecordingOrigin.TEST_ID, testId));
    }

    private static String testId() {
        return "contract-" + UUID.randomUUID();
    }

    @Test
    void theNodeServesTheRevisionItsSourceDelivered() {
        assertThat(node.revision()).isEqualTo(revision);
    }

    @Test
    void aRequestReachesTheOriginWithItsZonesSettingsApplied() throws IOException {
        String id = testId();

        String response = get(REVEALING.name(), id);

        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(origin.saw(id)).isTrue();
        assertThat(origin.paths()).containsEntry(id, "/contract");
        Map<String, String> headers = origin.headersOf(id);
        assertThat(headers).containsEntry("true-client-ip", "127.0.0.1").doesNotContainKey("cf-ipcountry");
    }

    @Test
    void anotherZoneOfTheSameViewKeepsItsOwnSettings() throws IOException {
        String id = testId();

        assertThat(get(PLAIN.name(), id)).startsWith("HTTP/1.1 200");

        assertThat(origin.headersOf(id)).containsEntry("cf-ipcountry", "XX").doesNotContainKey("true-client-ip");
    }

    @Test
    void aSubdomainOfAZoneIsServedWithThatZonesSettings() throws IOException {
        String id = testId();

        assertThat(get("www." + REVEALING.name(), id)).startsWith("HTTP/1.1 200");

        assertThat(origin.headersOf(id)).containsEntry("true-client-ip", "127.0.0.1").doesNotContainKey("cf-ipcountry");
    }

    @Test
    void aHostOutsideTheViewIsAnsweredByTheEdgeAndNeverReachesTheOrigin() throws IOException {
        String id = testId();

        assertThat(get("not-in-the-view.example", id)).startsWith("HTTP/1.1 404");

        assertThat(origin.saw(id)).isFalse();
    }
}
