package zoneplane.model.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsageReportTest {

    private static final String ZONE = "0123456789abcdef0123456789abcdef";
    private static final Instant MINUTE = Instant.parse("2026-12-07T14:05:00Z");

    private static UsageReport report(String host) {
        UsageReport.HttpGroup upgrade = new UsageReport.HttpGroup("US", 101, "HTTP/1.1", UsageReport.KIND_WEBSOCKET,
                "TLSv1.3", host, "", 1, 230, 410);
        UsageReport.HttpGroup page = new UsageReport.HttpGroup("T1", 200, "HTTP/2", UsageReport.KIND_HTTP,
                UsageReport.NO_TLS, host, "text/html", 12, 34_567, 890);
        UsageReport.WebSocketMinute ws = new UsageReport.WebSocketMinute(1, 0, 1, 1, 42, 1, 100, 20);
        return new UsageReport("edge-1", List.of(
                new UsageReport.ZoneMinute(ZONE, MINUTE, List.of(upgrade, page), new byte[] {1, 2, 3, (byte) 0xff}, ws),
                new UsageReport.ZoneMinute(ZONE, MINUTE.plusSeconds(60), List.of(), null, UsageReport.WebSocketMinute.NONE)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "a \"quoted\" host", "tab\tnewline\n nul \u0000", "漢字.example 😀", ""})
    void aReportRoundTripsFieldByFieldWhateverItsText(String host) {
        UsageReport report = report(host);
        String json = report.toJson();
        assertThat(json).doesNotContain("\n").doesNotContain("\u0000");
        assertThat(UsageReport.fromJson(json)).isEqualTo(report);
    }

    @Test
    void anInstanceIdRoundTripsAndItsAbsenceReadsAsEmpty() {
        UsageReport withInstance = new UsageReport("edge-1", "3f2a", report("example.com").minutes());
        String json = withInstance.toJson();
        assertThat(json).startsWith("{\"node_id\":\"edge-1\",\"instance_id\":\"3f2a\",\"minutes\":[");
        assertThat(UsageReport.fromJson(json)).isEqualTo(withInstance);
        assertThat(UsageReport.fromJson("{\"node_id\":\"edge-1\",\"minutes\":[]}").instanceId()).isEmpty();
    }

    @Test
    void itHasTheDocumentedShape() {
        String json = report("example.com").toJson();
        assertThat(json).startsWith("{\"node_id\":\"edge-1\",\"minutes\":[{\"zone_id\":\"" + ZONE
                + "\",\"minute\":\"2026-12-07T14:05:00Z\",\"http\":[{\"country\":\"US\",\"status\":101,");
        assertThat(json).contains("\"uniques\":\"AQID/w==\"", "\"billable_minutes\":1", "\"ssl_protocol\":\"none\"");
    }

    @Test
    void unknownFieldsAreIgnoredAndMissingOnesTakeTheirDefaults() {
        UsageReport read = UsageReport.fromJson("{\"node_id\":\"n\",\"future\":{\"x\":[1]},\"minutes\":[{\"zone_id\":\""
                + ZONE + "\",\"minute\":\"2026-12-07T14:05:00Z\",\"http\":[{\"requests\":3,\"later\":true}]}]}");
        UsageReport.ZoneMinute minute = read.minutes().get(0);
        assertThat(minute.http().get(0)).isEqualTo(new UsageReport.HttpGroup("", 0, "", UsageReport.KIND_HTTP,
                UsageReport.NO_TLS, "", "", 3, 0, 0));
        assertThat(minute.websockets()).isEqualTo(UsageReport.WebSocketMinute.NONE);
        assertThat(minute.uniques()).isEmpty();
        assertThat(minute.http().get(0).encrypted()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{", "{\"minutes\":[]}", "{\"node_id\":\"n\"}", "{\"node_id\":1,\"minutes\":[]}",
            "{\"node_id\":\"n\",\"minutes\":[{\"minute\":\"2026-12-07T14:05:00Z\"}]}",
            "{\"node_id\":\"n\",\"minutes\":[{\"zone_id\":\"z\",\"minute\":\"yesterday\"}]}",
            "{\"node_id\":\"n\",\"minutes\":[{\"zone_id\":\"z\",\"minute\":\"2026-12-07T14:05:30Z\"}]}",
            "{\"node_id\":\"n\",\"minutes\":[{\"zone_id\":\"z\",\"minute\":\"2026-12-07T14:05:00Z\",\"uniques\":\"%%\"}]}",
            "{\"node_id\":\"n\",\"minutes\":[{\"zone_id\":\"z\",\"minute\":\"2026-12-07T14:05:00Z\",\"http\":[{\"requests\":-1}]}]}",
            "{\"node_id\":\"n\",\"minutes\":[{\"zone_id\":\"z\",\"minute\":\"2026-12-07T14:05:00Z\",\"http\":[{\"requests\":1.5}]}]}",
            "{\"node_id\":\"n\",\"minutes\":[]} trailing"})
    void anythingElseIsAWireFormatError(String json) {
        assertThatThrownBy(() -> UsageReport.fromJson(json)).isInstanceOf(WireFormatException.class);
    }
}
