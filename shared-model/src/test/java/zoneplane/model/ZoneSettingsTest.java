package zoneplane.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ZoneSettingsTest {

    @Test
    void effectiveSettingsOverlayStoredValuesOnPlanDefaults() {
        ZoneSettings settings = ZoneSettings.effective(Plan.BUSINESS, Map.of("websockets", "off", "max_upload", "150"));

        assertThat(settings.isOn(Setting.WEBSOCKETS)).isFalse();
        assertThat(settings.get(Setting.MAX_UPLOAD)).isEqualTo(new SettingValue.Megabytes(150));
        assertThat(settings.isOn(Setting.IP_GEOLOCATION)).isTrue();
        assertThat(settings.get(Setting.PSEUDO_IPV4).text()).isEqualTo("off");
    }

    @Test
    void storedValuesThePlanNoLongerPermitsFallBackToItsDefault() {
        ZoneSettings afterDowngrade = ZoneSettings.effective(Plan.FREE,
                Map.of("ipv6", "off", "true_client_ip_header", "on", "max_upload", "1000"));

        assertThat(afterDowngrade).isEqualTo(ZoneSettings.defaultsFor(Plan.FREE));
    }

    @Test
    void unknownIdsAndValuesInStorageAreIgnored() {
        ZoneSettings settings = ZoneSettings.effective(Plan.PRO, Map.of("ssl", "full", "grpc", "maybe"));

        assertThat(settings).isEqualTo(ZoneSettings.defaultsFor(Plan.PRO));
    }

    @Test
    void withReturnsACopyAndKeepsTheOriginal() {
        ZoneSettings base = ZoneSettings.defaultsFor(Plan.FREE);
        ZoneSettings changed = base.with(Setting.GRPC, Setting.GRPC.value("on").orElseThrow());

        assertThat(base.isOn(Setting.GRPC)).isFalse();
        assertThat(changed.isOn(Setting.GRPC)).isTrue();
        assertThat(changed.get(Setting.GRPC)).isSameAs(Setting.GRPC.value("on").orElseThrow());
    }

    @Test
    void aValueOfAnotherSettingIsRejected() {
        assertThatThrownBy(() -> ZoneSettings.defaultsFor(Plan.FREE)
                        .with(Setting.WEBSOCKETS, new SettingValue.Word("add_header")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("websockets");
    }

    @Test
    void asMapListsEverySettingInCatalogueOrder() {
        assertThat(ZoneSettings.defaultsFor(Plan.ENTERPRISE).asMap().keySet()).containsExactly(Setting.values());
    }
}
