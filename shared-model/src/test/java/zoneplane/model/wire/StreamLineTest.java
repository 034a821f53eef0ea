package zoneplane.model.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import zoneplane.model.Change;
import zoneplane.model.Plan;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;

class StreamLineTest {

    private static final String ID = "0123456789abcdef0123456789abcdef";

    private static ZoneConfig zone(String origin) {
        return new ZoneConfig(ID, "example.com", Plan.PRO, origin, false,
                ZoneSettings.effective(Plan.PRO, Map.of("websockets", "off")));
    }

    @Test
    void heartbeatHasTheDocumentedShapeAndRoundTrips() {
        assertThat(StreamLine.heartbeat(42)).isEqualTo("{\"type\":\"heartbeat\",\"revision\":42}");
        assertThat(StreamLine.decode(StreamLine.heartbeat(42))).isEqualTo(new StreamLine.Heartbeat(42));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "a \"quoted\" word", "back\\slash \\\" and \\n literally", "tab\there, newline\nthere, cr\r",
            "bell \u0007 nul \u0000 escape \u001b del \u007f", "unicode: é ü 漢字 😀 \u2028 \u2029", ""})
    void errorMessagesAreEscapedAndRoundTrip(String message) {
        String line = StreamLine.error(message);
        assertThat(line).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u0000");
        assertThat(StreamLine.decode(line)).isEqualTo(new StreamLine.ServerError(message));
    }

    @Test
    void anErrorWithoutMessageIsUnspecified() {
        assertThat(StreamLine.decode("{\"type\":\"error\"}")).isEqualTo(new StreamLine.ServerError("unspecified"));
    }

    @Test
    void changesRoundTripIncludingAwkwardText() {
        Change upserted = new Change.ZoneUpserted(7, zone("http://origin.example/\"q\"\\path?x=\u00e9\u0001"));
        Change deleted = new Change.ZoneDeleted(8, ID, "example.com");
        for (Change change : new Change[] {upserted, deleted}) {
            String line = StreamLine.encode(new StreamLine.ChangeLine(change));
            assertThat(line).isEqualTo(WireFormat.changeToJson(change)).doesNotContain("\n");
            assertThat(StreamLine.decode(line)).isEqualTo(new StreamLine.ChangeLine(change));
        }
    }

    @Test
    void aChangeThatNamesItsRevisionButCannotBeDecodedIsUndecodableWithItsZone() {
        String badSetting = "{\"revision\":9,\"type\":\"zone_upserted\",\"zone\":{\"id\":\"" + ID
                + "\",\"name\":\"example.com\",\"plan\":\"free\",\"origin\":null,\"paused\":false,\"settings\":{\"websockets\":\"maybe\"}}}";
        StreamLine.Undecodable line = (StreamLine.Undecodable) StreamLine.decode(badSetting);
        assertThat(line.revision()).isEqualTo(9);
        assertThat(line.zoneId()).isEqualTo(ID);
        assertThat(line.reason()).contains("maybe").contains("websockets");

        StreamLine.Undecodable unknownType = (StreamLine.Undecodable) StreamLine.decode(
                "{\"revision\":10,\"type\":\"zone_exploded\",\"zone_id\":\"" + ID + "\"}");
        assertThat(unknownType).isEqualTo(new StreamLine.Undecodable(10, ID, "unknown or incomplete change of type zone_exploded"));

        StreamLine.Undecodable noZone = (StreamLine.Undecodable) StreamLine.decode("{\"revision\":11,\"type\":\"zone_upserted\",\"zone\":[1]}");
        assertThat(noZone.revision()).isEqualTo(11);
        assertThat(noZone.zoneId()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[1]", "\"heartbeat\"", "{\"type\":\"heartbeat\"}", "{\"type\":\"zone_upserted\"}",
            "{\"revision\":0,\"type\":\"zone_deleted\",\"zone_id\":\"x\",\"name\":\"y\"}", "{\"revision\":\"3\"}",
            "{\"type\":\"heartbeat\",\"revision\":3", "{\"type\":\"heartbeat\",\"revision\":3} {}"})
    void aLineThatCannotBePlacedInTheStreamIsMalformed(String line) {
        assertThatThrownBy(() -> StreamLine.decode(line)).isInstanceOf(WireFormatException.class);
    }

    @Test
    void anUndecodableChangeIsNeverWritten() {
        assertThatThrownBy(() -> StreamLine.encode(new StreamLine.Undecodable(1, ID, "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
