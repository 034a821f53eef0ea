package zoneplane.controlplane.setting;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertFailure;
import static zoneplane.testing.Envelopes.assertSuccess;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.model.Setting;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

/**
 * Every catalogue setting × every plan × every valid and a set of invalid values, through the API.
 * The expectations come from SPEC §2 written out below, independently of the catalogue code, so
 * that a catalogue mistake shows up here. A new catalogue entry without a row here fails
 * {@link #specTableCoversTheWholeCatalogue}. {@code editable} is Cloudflare's listing ({@code max_upload}
 * is listed editable on Free, where 100 is its only size); the value already in effect is accepted
 * again on every plan (a no-op, no revision), any other value the plan does not allow gets 403/1057.
 */
class SettingMatrixTest extends ControlPlaneIntegrationTest {

    private static final List<String> PLANS = List.of("free", "pro", "business", "enterprise");

    /** SPEC §2: values (JSON literals), default per plan, plans that list it editable, size ceiling per plan. */
    private record Spec(String id, List<String> values, Map<String, String> defaults, Set<String> editableOn,
            Map<String, Integer> ceiling, List<String> invalid) {}

    private static final List<String> WORD_INVALID = List.of("\"bogus\"", "\"ON\"", "1", "true", "null", "{}", "[\"on\"]");

    private static final List<Spec> SPEC = List.of(
            onOff("websockets", "on", Set.copyOf(PLANS)),
            onOff("ip_geolocation", "on", Set.copyOf(PLANS)),
            onOff("ipv6", "on", Set.of("enterprise")),
            new Spec("pseudo_ipv4", List.of("\"off\"", "\"add_header\"", "\"overwrite_header\""), everyPlan("\"off\""),
                    Set.copyOf(PLANS), Map.of(), WORD_INVALID),
            onOff("opportunistic_onion", "on", Set.copyOf(PLANS)),
            onOff("grpc", "off", Set.copyOf(PLANS)),
            onOff("true_client_ip_header", "off", Set.of("enterprise")),
            new Spec("max_upload", sizes(),
                    Map.of("free", "100", "pro", "100", "business", "200", "enterprise", "500"),
                    Set.copyOf(PLANS),
                    Map.of("free", 100, "pro", 100, "business", 200, "enterprise", 5000),
                    List.of("99", "101", "550", "5500", "0", "-100", "100.5", "\"lots\"", "true", "null", "[100]")));

    static Stream<Arguments> settingAndPlan() {
        return SPEC.stream().flatMap(spec -> PLANS.stream().map(plan -> Arguments.of(spec.id(), plan)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("settingAndPlan")
    void everyValueIsAcceptedOrRefusedAsTheSpecSays(String settingId, String plan) {
        Spec spec = SPEC.stream().filter(s -> s.id().equals(settingId)).findFirst().orElseThrow();
        String path = "/zones/" + new Fixtures(api()).zoneId(plan) + "/settings/" + settingId;

        JsonNode initial = assertSuccess(api().get(path));
        assertThat(initial.get("value").toString()).isEqualTo(spec.defaults().get(plan));
        boolean editable = spec.editableOn().contains(plan);
        assertThat(initial.get("editable").asBoolean()).isEqualTo(editable);

        String inEffect = spec.defaults().get(plan);
        ApiClient.Response again = api().patch(path, "{\"value\":" + inEffect + "}");
        assertThat(assertSuccess(again).get("value").toString()).isEqualTo(inEffect);
        assertThat(again.header("Zoneplane-Revision")).as("re-applying the default of %s on %s is a no-op", settingId, plan)
                .isEmpty();
        for (String value : spec.values()) {
            ApiClient.Response response = api().patch(path, "{\"value\":" + value + "}");
            boolean withinCeiling = !spec.ceiling().containsKey(plan) || Integer.parseInt(value) <= spec.ceiling().get(plan);
            if (value.equals(inEffect) || (editable && withinCeiling)) {
                JsonNode result = assertSuccess(response);
                assertThat(result.get("value").toString()).as(settingId + "=" + value + " on " + plan).isEqualTo(value);
                assertThat(response.header("Zoneplane-Revision").isPresent()).isEqualTo(!value.equals(inEffect));
                inEffect = value;
            } else {
                assertFailure(response, 403, 1057);
            }
        }
        for (String value : spec.invalid()) {
            assertFailure(api().patch(path, "{\"value\":" + value + "}"), 400, 1007);
        }
        assertThat(assertSuccess(api().get(path)).get("value").toString()).isEqualTo(inEffect);
    }

    @org.junit.jupiter.api.Test
    void specTableCoversTheWholeCatalogue() {
        List<String> catalogue = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            catalogue.add(setting.id());
        }
        assertThat(SPEC.stream().map(Spec::id).toList()).containsExactlyElementsOf(catalogue);
    }

    private static Spec onOff(String id, String fallback, Set<String> editableOn) {
        return new Spec(id, List.of("\"on\"", "\"off\""), everyPlan("\"" + fallback + "\""), editableOn, Map.of(), WORD_INVALID);
    }

    private static Map<String, String> everyPlan(String value) {
        return Map.of("free", value, "pro", value, "business", value, "enterprise", value);
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
}
