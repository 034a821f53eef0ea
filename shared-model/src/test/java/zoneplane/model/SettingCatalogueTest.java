package zoneplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The catalogue as SPEC §2 states it: every setting × every plan × valid and invalid values. */
class SettingCatalogueTest {

    private static final List<String> ALL_SIZES = sizes();

    /** setting, plan, expected default, expected editable, values the plan may choose. */
    static Stream<Arguments> specTable() {
        List<Arguments> rows = new ArrayList<>();
        for (Plan plan : Plan.values()) {
            boolean ent = plan == Plan.ENTERPRISE;
            rows.add(Arguments.of("websockets", plan, "on", true, List.of("on", "off")));
            rows.add(Arguments.of("ip_geolocation", plan, "on", true, List.of("on", "off")));
            rows.add(Arguments.of("ipv6", plan, "on", ent, ent ? List.of("on", "off") : List.of("on")));
            rows.add(Arguments.of("pseudo_ipv4", plan, "off", true, List.of("off", "add_header", "overwrite_header")));
            rows.add(Arguments.of("opportunistic_onion", plan, "on", true, List.of("on", "off")));
            rows.add(Arguments.of("grpc", plan, "off", true, List.of("on", "off")));
            rows.add(Arguments.of("true_client_ip_header", plan, "off", ent, ent ? List.of("on", "off") : List.of("off")));
        }
        Map<Plan, Integer> defaults = Map.of(Plan.FREE, 100, Plan.PRO, 100, Plan.BUSINESS, 200, Plan.ENTERPRISE, 500);
        Map<Plan, Integer> ceilings = Map.of(Plan.FREE, 100, Plan.PRO, 100, Plan.BUSINESS, 200, Plan.ENTERPRISE, 5000);
        for (Plan plan : Plan.values()) {
            List<String> allowed = ALL_SIZES.stream().filter(s -> Integer.parseInt(s) <= ceilings.get(plan)).toList();
            // listed editable on every plan, as Cloudflare lists it (a Free zone's only size is 100)
            rows.add(Arguments.of("max_upload", plan, defaults.get(plan).toString(), true, allowed));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("specTable")
    void catalogueMatchesTheSpecTable(String id, Plan plan, String expectedDefault, boolean editable, List<String> allowed) {
        Setting setting = Setting.fromId(id).orElseThrow();

        assertThat(setting.defaultFor(plan).text()).isEqualTo(expectedDefault);
        assertThat(setting.editableOn(plan)).isEqualTo(editable);
        assertThat(setting.allowedOn(plan)).extracting(SettingValue::text).containsExactlyElementsOf(allowed);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("specTable")
    void everyValueIsAcceptedRefusedOrInvalidAsThePlanSays(String id, Plan plan, String d, boolean editable, List<String> allowed) {
        Setting setting = Setting.fromId(id).orElseThrow();
        for (SettingValue value : setting.allValues()) {
            SettingCheck check = setting.check(plan, value.text());
            // a plan that lists the setting not editable allows only its default, which it may ask for again
            if (allowed.contains(value.text())) {
                assertThat(check).isEqualTo(new SettingCheck.Accepted(value));
            } else {
                assertThat(check).as("%s=%s on %s", id, value, plan).isInstanceOf(SettingCheck.NotEditable.class);
                assertThat(((SettingCheck.NotEditable) check).message()).startsWith(id + " cannot be");
            }
        }
        for (String junk : List.of("", "ON", "yes", "true", "1", "on ", "99", "101", "5500", "-100", "add-header")) {
            assertThat(setting.check(plan, junk)).as("%s=%s", id, junk).isInstanceOf(SettingCheck.Invalid.class);
        }
    }

    @Test
    void invalidValueMessageNamesTheSettingAndItsValues() {
        SettingCheck check = Setting.PSEUDO_IPV4.check(Plan.FREE, "sometimes");

        assertThat(check).isEqualTo(new SettingCheck.Invalid(
                "Invalid value for zone setting pseudo_ipv4: expected one of off, add_header, overwrite_header"));
    }

    @Test
    void maxUploadTakesNumbersAndNumericStringsButWordSettingsTakeNoNumbers() {
        assertThat(Setting.MAX_UPLOAD.check(Plan.BUSINESS, 150)).isEqualTo(
                new SettingCheck.Accepted(new SettingValue.Megabytes(150)));
        assertThat(Setting.MAX_UPLOAD.check(Plan.BUSINESS, "175")).isEqualTo(
                new SettingCheck.Accepted(new SettingValue.Megabytes(175)));
        assertThat(Setting.MAX_UPLOAD.check(Plan.ENTERPRISE, 1000)).isInstanceOf(SettingCheck.Accepted.class);
        assertThat(Setting.MAX_UPLOAD.check(Plan.ENTERPRISE, 750)).isInstanceOf(SettingCheck.Invalid.class);
        assertThat(Setting.WEBSOCKETS.check(Plan.FREE, 1)).isInstanceOf(SettingCheck.Invalid.class);
    }

    @Test
    void maxUploadAboveTheCeilingIsRefusedNamingTheCeiling() {
        SettingCheck check = Setting.MAX_UPLOAD.check(Plan.BUSINESS, 500);

        assertThat(check).isInstanceOf(SettingCheck.NotEditable.class);
        assertThat(((SettingCheck.NotEditable) check).message())
                .isEqualTo("max_upload cannot be set to 500 for this zone: the business plan allows 100, 125, 150, 175, 200 (megabytes)");
    }

    @Test
    void patchOfIpv6OffOnFreePlanIsRefusedAsNotEditable() {
        assertThat(Setting.IPV6.check(Plan.FREE, "off")).isEqualTo(
                new SettingCheck.NotEditable("ipv6 cannot be modified for this zone: the free plan keeps it at on"));
    }

    @Test
    void idsAreUniqueAndRoundTrip() {
        for (Setting setting : Setting.values()) {
            assertThat(Setting.fromId(setting.id())).contains(setting);
            assertThat(setting.title()).isNotBlank();
            assertThat(setting.summary()).isNotBlank();
        }
        assertThat(Setting.fromId("ssl")).isEmpty();
        assertThat(Plan.fromId("enterprise")).contains(Plan.ENTERPRISE);
        assertThat(Plan.fromId("Enterprise")).isEmpty();
    }

    private static List<String> sizes() {
        List<String> sizes = new ArrayList<>();
        for (int mb = 100; mb <= 500; mb += 25) {
            sizes.add(Integer.toString(mb));
        }
        for (int mb = 1000; mb <= 5000; mb += 500) {
            sizes.add(Integer.toString(mb));
        }
        return sizes;
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("specTable")
    void theValueInEffectIsAlwaysAcceptedAgain(String id, Plan plan, String expectedDefault, boolean e, List<String> a) {
        Setting setting = Setting.fromId(id).orElseThrow();
        SettingValue inEffect = setting.defaultFor(plan);
        assertThat(setting.check(plan, expectedDefault, inEffect)).isEqualTo(new SettingCheck.Accepted(inEffect));
    }

    /** The typed check the control plane uses decides exactly as the check of the value's text. */
    @Test
    void checkOfATypedValueDecidesAsTheCheckOfItsText() {
        for (Setting setting : Setting.values()) {
            for (Plan plan : Plan.values()) {
                for (SettingValue value : setting.allValues()) {
                    for (SettingValue inEffect : List.of(setting.defaultFor(plan), value)) {
                        assertThat(setting.check(plan, value, inEffect))
                                .isEqualTo(setting.check(plan, value.text(), inEffect));
                    }
                }
            }
        }
    }
}
