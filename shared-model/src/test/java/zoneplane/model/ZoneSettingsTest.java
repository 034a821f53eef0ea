package zoneplane.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZoneSettingsTest {

    @Test
    void effectiveSettingsOverlayStoredValuesOnPlanDefaults() {
        ZoneSettings settings = ZoneSettings.effective(Plan.BUSINESS, Map.of("websockets", "off", "max_upload", "150"));

        assertThat(settings.toggle(Setting.WEBSOCKETS)).isFalse();
        assertThat(settings.get(Setting.MAX_UPLOAD)).isEqualTo(new SettingValue.Megabytes(150));
        assertThat(settings.toggle(Setting.IP_GEOLOCATION)).isTrue();
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

        assertThat(base.toggle(Setting.GRPC)).isFalse();
        assertThat(changed.toggle(Setting.GRPC)).isTrue();
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

    @Test
    void typedAccessorsReadEachKindAndRefuseTheOthers() {
        ZoneSettings settings = ZoneSettings.defaultsFor(Plan.BUSINESS);

        assertThat(settings.megabytes(Setting.MAX_UPLOAD)).isEqualTo(new SettingValue.Megabytes(200));
        assertThat(settings.word(Setting.PSEUDO_IPV4)).isEqualTo(new SettingValue.Word("off"));
        assertThat(settings.toggle(Setting.WEBSOCKETS)).isTrue();
        assertThatThrownBy(() -> settings.toggle(Setting.PSEUDO_IPV4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pseudo_ipv4");
        assertThatThrownBy(() -> settings.toggle(Setting.MAX_UPLOAD)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.megabytes(Setting.GRPC)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.word(Setting.MAX_UPLOAD)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onOffSettingsAreExactlyThoseWithTheWordsOnAndOff() {
        for (Setting setting : Setting.values()) {
            boolean onOff = setting.allValues().stream().map(SettingValue::text).toList().equals(List.of("on", "off"));
            assertThat(setting.isOnOff()).as(setting.id()).isEqualTo(onOff);
        }
    }
}
