package zoneplane.controlplane.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertFailure;
import static zoneplane.testing.Envelopes.assertSuccess;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

/**
 * Issue 20 item 2 through real HTTP: plans are the operator's (billing). A tenant's token, even one
 * with zone:edit, cannot choose or change a plan (403); asking for the plan the zone has is a no-op.
 * An operator's downgrade takes the settings the new plan does not allow back to its default, in
 * the zone edit's own revision, each audited.
 */
class PlanChangeTest extends ControlPlaneIntegrationTest {

    private static final String TENANT_PERMISSIONS =
            "[\"zone:read\",\"zone:edit\",\"zone_settings:read\",\"zone_settings:edit\",\"account:admin\"]";

    @Test
    void aTenantTokenCannotUpgradeItsZone() {
        String account = new Fixtures(api()).account();
        ApiClient tenant = tenant(account);
        String zone = assertSuccess(tenant.post("/zones", create(account, null))).get("id").asString();

        for (String plan : List.of("\"enterprise\"", "\"business\"", "{\"id\":\"pro\"}")) {
            ApiClient.Response refused = tenant.patch("/zones/" + zone, "{\"plan\":" + plan + "}");
            assertFailure(refused, 403, 9109);
            assertThat(refused.json().get("errors").get(0).get("message").asString())
                    .contains("Plan changes are made by the operator");
            assertThat(refused.header("Zoneplane-Revision")).isEmpty();
        }
        // together with an allowed field: all refused, nothing changed
        assertFailure(tenant.patch("/zones/" + zone, "{\"plan\":\"enterprise\",\"paused\":true}"), 403, 9109);
        JsonNode after = assertSuccess(api().get("/zones/" + zone));
        assertThat(after.get("plan").get("name").asString()).isEqualTo("Free Website");
        assertThat(after.get("paused").asBoolean()).isFalse();
        // and so Enterprise-only settings stay out of reach
        assertFailure(tenant.patch("/zones/" + zone + "/settings/true_client_ip_header", "{\"value\":\"on\"}"), 403, 1057);
    }

    @Test
    void aTenantTokenMayRestateThePlanItHas() {
        String account = new Fixtures(api()).account();
        String zone = assertSuccess(api().post("/zones", create(account, "pro"))).get("id").asString();
        ApiClient.Response same = tenant(account).patch("/zones/" + zone, "{\"plan\":\"pro\",\"paused\":false}");
        assertSuccess(same);
        assertThat(same.header("Zoneplane-Revision")).isEmpty();
    }

    @Test
    void aTenantTokenCannotCreateAZoneOnAPaidPlan() {
        String account = new Fixtures(api()).account();
        ApiClient tenant = tenant(account);
        for (String plan : List.of("pro", "business", "enterprise")) {
            String name = Fixtures.uniqueName();
            assertFailure(tenant.post("/zones", create(account, plan, name)), 403, 9109);
            assertThat(api().get("/zones?name=" + name).json().get("result").size()).isZero();
        }
        assertSuccess(tenant.post("/zones", create(account, "free")));
    }

    @Test
    void theOperatorsDowngradeResetsWhatTheNewPlanDoesNotAllowInOneAuditedRevision() {
        String account = new Fixtures(api()).account();
        String zone = assertSuccess(api().post("/zones", create(account, "enterprise"))).get("id").asString();
        String settings = "/zones/" + zone + "/settings";
        assertSuccess(api().patch(settings, "{\"items\":[{\"id\":\"true_client_ip_header\",\"value\":\"on\"},"
                + "{\"id\":\"ipv6\",\"value\":\"off\"},{\"id\":\"max_upload\",\"value\":1000},"
                + "{\"id\":\"websockets\",\"value\":\"off\"}]}"));

        ApiClient.Response downgrade = api().patch("/zones/" + zone, "{\"plan\":\"free\"}");
        assertSuccess(downgrade);
        long revision = Long.parseLong(downgrade.header("Zoneplane-Revision").orElseThrow());

        assertThat(value(zone, "true_client_ip_header")).isEqualTo("\"off\"");
        assertThat(value(zone, "ipv6")).isEqualTo("\"on\"");
        assertThat(value(zone, "max_upload")).isEqualTo("100");
        assertThat(value(zone, "websockets")).as("allowed on free: kept").isEqualTo("\"off\"");
        assertThat(assertSuccess(api().get(settings + "/max_upload")).get("modified_on").isNull()).isTrue();

        JsonNode log = assertSuccess(api().get("/accounts/" + account + "/audit_logs?zone_id=" + zone));
        List<String> atRevision = new ArrayList<>();
        for (JsonNode entry : log) {
            if (entry.get("revision").asLong() == revision) {
                atRevision.add(entry.get("action").asString()
                        + (entry.hasNonNull("setting_id") ? ":" + entry.get("setting_id").asString() : ""));
            }
        }
        assertThat(atRevision).containsExactlyInAnyOrder("zone_edited", "zone_setting_edited:ipv6",
                "zone_setting_edited:true_client_ip_header", "zone_setting_edited:max_upload");

        // the reset is for good: upgrading again does not bring the old values back
        assertSuccess(api().patch("/zones/" + zone, "{\"plan\":\"enterprise\"}"));
        assertThat(value(zone, "true_client_ip_header")).isEqualTo("\"off\"");
        assertThat(value(zone, "max_upload")).isEqualTo("500");
    }

    private String value(String zone, String setting) {
        return assertSuccess(api().get("/zones/" + zone + "/settings/" + setting)).get("value").toString();
    }

    private ApiClient tenant(String account) {
        String token = assertSuccess(api().post("/accounts/" + account + "/tokens",
                "{\"name\":\"tenant\",\"permissions\":" + TENANT_PERMISSIONS + "}")).get("value").asString();
        return anonymous().withToken(token);
    }

    private static String create(String account, String plan) {
        return create(account, plan, Fixtures.uniqueName());
    }

    private static String create(String account, String plan, String name) {
        return "{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + name + "\""
                + (plan == null ? "" : ",\"plan\":\"" + plan + "\"") + ",\"origin\":\"http://127.0.0.1:9\"}";
    }
}
