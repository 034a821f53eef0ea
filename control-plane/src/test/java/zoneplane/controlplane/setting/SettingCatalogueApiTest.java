package zoneplane.controlplane.setting;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertFailure;
import static zoneplane.testing.Envelopes.assertSuccess;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.auth.SecurityFixtures;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.Fixtures;

/**
 * {@code GET /client/v4/zone_settings}: the catalogue a dashboard draws its controls from, over real
 * HTTP. Expectations are SPEC §2 written out, and the catalogue must agree with what a zone of each
 * plan reports through the zone-settings API.
 */
class SettingCatalogueApiTest extends ControlPlaneIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void anyValidTokenReadsTheCatalogueInTheNetworkPagesOrder() {
        SecurityFixtures fixtures = new SecurityFixtures(api(), jdbc);
        String token = fixtures.token(fixtures.account(), "zone:read").value();

        JsonNode catalogue = assertSuccess(anonymous().withToken(token).get("/client/v4/zone_settings"));

        List<String> ids = new ArrayList<>();
        catalogue.forEach(entry -> ids.add(entry.get("id").asString()));
        assertThat(ids).containsExactly("websockets", "ip_geolocation", "ipv6", "pseudo_ipv4", "opportunistic_onion",
                "grpc", "true_client_ip_header", "max_upload");
        for (JsonNode entry : catalogue) {
            assertThat(entry.propertyNames()).containsExactlyInAnyOrder("id", "title", "summary", "kind", "values", "plans");
            assertThat(entry.get("title").asString()).isNotBlank();
            assertThat(entry.get("summary").asString()).isNotBlank();
            assertThat(entry.get("plans").propertyNames()).containsExactly("free", "pro", "business", "enterprise");
        }
    }

    @Test
    void wordsAndPlanRulesAreTheSpecs() {
        JsonNode catalogue = assertSuccess(api().get("/client/v4/zone_settings"));

        JsonNode pseudo = entry(catalogue, "pseudo_ipv4");
        assertThat(pseudo.get("title").asString()).isEqualTo("Pseudo IPv4");
        assertThat(pseudo.get("kind").asString()).isEqualTo("word");
        assertThat(strings(pseudo.get("values"))).containsExactly("off", "add_header", "overwrite_header");
        assertThat(pseudo.get("plans").get("free").get("default").asString()).isEqualTo("off");
        assertThat(pseudo.get("plans").get("free").get("editable").asBoolean()).isTrue();

        JsonNode ipv6 = entry(catalogue, "ipv6");
        assertThat(strings(ipv6.get("plans").get("business").get("allowed"))).containsExactly("on");
        assertThat(ipv6.get("plans").get("business").get("editable").asBoolean()).isFalse();
        assertThat(strings(ipv6.get("plans").get("enterprise").get("allowed"))).containsExactlyInAnyOrder("on", "off");

        JsonNode trueClientIp = entry(catalogue, "true_client_ip_header");
        assertThat(trueClientIp.get("plans").get("pro").get("editable").asBoolean()).isFalse();
        assertThat(trueClientIp.get("plans").get("enterprise").get("default").asString()).isEqualTo("off");
        assertThat(trueClientIp.get("plans").get("enterprise").get("editable").asBoolean()).isTrue();
    }

    @Test
    void uploadSizesAreIntegersUpToEachPlansCeiling() {
        JsonNode upload = entry(assertSuccess(api().get("/client/v4/zone_settings")), "max_upload");

        assertThat(upload.get("kind").asString()).isEqualTo("megabytes");
        List<Integer> values = integers(upload.get("values"));
        assertThat(values).hasSize(17 + 9).startsWith(100, 125, 150).endsWith(4500, 5000).contains(500, 1000);
        assertThat(upload.get("values").get(0).isIntegralNumber()).isTrue();
        JsonNode plans = upload.get("plans");
        assertThat(integers(plans.get("free").get("allowed"))).containsExactly(100);
        // listed editable as Cloudflare lists it (issue 20 item 9); "allowed" is what is enforced
        assertThat(plans.get("free").get("editable").asBoolean()).isTrue();
        assertThat(plans.get("business").get("default").asInt()).isEqualTo(200);
        assertThat(integers(plans.get("business").get("allowed"))).containsExactly(100, 125, 150, 175, 200);
        assertThat(plans.get("enterprise").get("default").asInt()).isEqualTo(500);
        assertThat(integers(plans.get("enterprise").get("allowed"))).isEqualTo(values);
    }

    @Test
    void theCatalogueAgreesWithWhatZonesOfEachPlanReport() {
        JsonNode catalogue = assertSuccess(api().get("/client/v4/zone_settings"));
        Fixtures fixtures = new Fixtures(api());
        for (String plan : List.of("free", "pro", "business", "enterprise")) {
            JsonNode settings = assertSuccess(api().get("/client/v4/zones/" + fixtures.zoneId(plan) + "/settings"));
            for (JsonNode setting : settings) {
                JsonNode rule = entry(catalogue, setting.get("id").asString()).get("plans").get(plan);
                assertThat(setting.get("value")).as("%s on %s", setting.get("id"), plan).isEqualTo(rule.get("default"));
                assertThat(setting.get("editable").asBoolean()).as("%s on %s", setting.get("id"), plan)
                        .isEqualTo(rule.get("editable").asBoolean());
            }
        }
    }

    @Test
    void withoutATokenItIs400Code9106InTheEnvelope() {
        assertFailure(anonymous().get("/client/v4/zone_settings"), 400, 9106);
    }

    private static JsonNode entry(JsonNode catalogue, String id) {
        for (JsonNode entry : catalogue) {
            if (entry.get("id").asString().equals(id)) {
                return entry;
            }
        }
        throw new AssertionError("no catalogue entry " + id + " in " + catalogue);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asString()));
        return out;
    }

    private static List<Integer> integers(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asInt()));
        return out;
    }
}
