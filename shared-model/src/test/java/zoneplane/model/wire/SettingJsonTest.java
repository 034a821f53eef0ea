package zoneplane.model.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import zoneplane.model.Setting;
import zoneplane.model.SettingRule;
import zoneplane.model.SettingValue;

class SettingJsonTest {

    @Test
    void everyValueOfTheCatalogueIsAnIntegerForMegabytesAndAStringForWords() {
        for (Setting setting : Setting.values()) {
            for (SettingValue value : setting.allValues()) {
                Object json = SettingJson.value(value);
                if (setting.kind() == SettingRule.Kind.MEGABYTES) {
                    assertThat(json).isEqualTo(Integer.parseInt(value.text()));
                } else {
                    assertThat(json).isEqualTo(value.text());
                }
            }
        }
    }

    @Test
    void writtenPropertiesQuoteWordsAndNotSizes() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            SettingJson.write(g, "max_upload", new SettingValue.Megabytes(100));
            SettingJson.write(g, "websockets", new SettingValue.Word("on"));
            g.writeEndObject();
        }
        assertThat(out.toString()).isEqualTo("{\"max_upload\":100,\"websockets\":\"on\"}");
    }
}
