package zoneplane.model.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zoneplane.model.Change;
import zoneplane.model.Plan;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;

class WireFormatTest {

    private static final String ID = "0123456789abcdef0123456789abcdef";

    private static ZoneConfig zone(String name, String origin) {
        return new ZoneConfig(ID, name, Plan.ENTERPRISE, origin, false,
                ZoneSettings.effective(Plan.ENTERPRISE, Map.of("pseudo_ipv4", "overwrite_header", "max_upload", "1000")));
    }

    @Test
    void zoneJsonHasTheDocumentedShape() {
        assertThat(WireFormat.zoneToJson(zone("example.com", "http://10.0.0.5:8080"))).isEqualTo(
                "{\"id\":\"" + ID + "\",\"name\":\"example.com\",\"plan\":\"enterprise\",\"origin\":\"http://10.0.0.5:8080\","
                        + "\"paused\":false,\"settings\":{\"websockets\":\"on\",\"ip_geolocation\":\"on\",\"ipv6\":\"on\","
                        + "\"pseudo_ipv4\":\"overwrite_header\",\"opportunistic_onion\":\"on\",\"grpc\":\"off\","
                        + "\"true_client_ip_header\":\"off\",\"max_upload\":1000}}");
    }

    @Test
    void changesRoundTrip() {
        Change upserted = new Change.ZoneUpserted(7, zone("example.com", ""));
        Change deleted = new Change.ZoneDeleted(8, ID, "example.com");

        assertThat(WireFormat.changeFromJson(WireFormat.changeToJson(upserted))).isEqualTo(upserted);
        assertThat(WireFormat.changeFromJson(WireFormat.changeToJson(deleted))).isEqualTo(deleted);
        assertThat(WireFormat.changeToJson(upserted)).contains("\"origin\":null");
    }

    @Test
    void readersIgnoreUnknownFieldsAndSettingsAndDefaultMissingOnes() {
        String json = "{\"id\":\"" + ID + "\",\"name\":\"a.test\",\"plan\":\"business\",\"future\":{\"x\":[1,2]},"
                + "\"settings\":{\"brotli\":\"on\",\"websockets\":\"off\"}}";

        ZoneConfig zone = WireFormat.zoneFromJson(json);

        assertThat(zone.settings()).isEqualTo(ZoneSettings.effective(Plan.BUSINESS, Map.of("websockets", "off")));
        assertThat(zone.hasOrigin()).isFalse();
    }

    @Test
    void malformedInputIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> WireFormat.zoneFromJson("{\"id\":\"nothex\",\"name\":\"a.test\",\"plan\":\"free\"}"))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("32 lowercase hex");
        assertThatThrownBy(() -> WireFormat.zoneFromJson("{\"id\":\"" + ID + "\",\"name\":\"a.test\",\"plan\":\"gold\"}"))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("unknown plan gold");
        assertThatThrownBy(() -> WireFormat.zoneFromJson("{\"id\":\"" + ID + "\",\"name\":\"a.test\",\"plan\":\"free\","
                        + "\"settings\":{\"max_upload\":\"100\"}}"))
                .isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> WireFormat.changeFromJson("{\"revision\":0,\"type\":\"zone_deleted\"}"))
                .isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> WireFormat.changeFromJson("{\"revision\":3"))
                .isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> WireFormat.changeFromJson("{\"revision\":3,\"type\":\"zone_renamed\"}"))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("zone_renamed");
    }

    @Test
    void snapshotStreamsRoundTrip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SnapshotWriter writer = new SnapshotWriter(out, 42)) {
            writer.write(zone("a.test", "http://127.0.0.1:1"));
            writer.write(new ZoneConfig("f".repeat(32), "b.test", Plan.FREE, "", true, ZoneSettings.defaultsFor(Plan.FREE)));
        }
        List<ZoneConfig> zones = new ArrayList<>();

        long revision = SnapshotReader.read(new ByteArrayInputStream(out.toByteArray()), zones::add);

        assertThat(revision).isEqualTo(42);
        assertThat(zones).extracting(ZoneConfig::name).containsExactly("a.test", "b.test");
        assertThat(zones.get(1).paused()).isTrue();
    }

    @Test
    void truncatedSnapshotIsRefused() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SnapshotWriter writer = new SnapshotWriter(out, 1)) {
            writer.write(zone("a.test", ""));
        }
        byte[] whole = out.toByteArray();
        for (int cut : new int[] {whole.length - 1, whole.length / 2, 5}) {
            byte[] truncated = java.util.Arrays.copyOf(whole, cut);
            assertThatThrownBy(() -> SnapshotReader.read(new ByteArrayInputStream(truncated), z -> {}))
                    .as("cut at %d", cut)
                    .isInstanceOf(WireFormatException.class);
        }
        assertThatThrownBy(() -> SnapshotReader.read(
                        new ByteArrayInputStream("{\"zones\":[]}".getBytes(StandardCharsets.UTF_8)), z -> {}))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("revision");
    }
}
