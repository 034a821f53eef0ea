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
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.model.Change;
import zoneplane.model.Setting;
import zoneplane.model.wire.WireFormat;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

class SettingApiTest extends ControlPlaneIntegrationTest {

    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z";

    @Autowired
    JdbcClient jdbc;

    private String zone(String plan) {
        return new Fixtures(api()).zoneId(plan);
    }

    @Test
    void allSettingsOfAFreeZoneAreTheCatalogueDefaultsInCloudflaresShape() {
        String zone = zone("free");
        ApiClient.Response response = api().get("/client/v4/zones/" + zone + "/settings");
        JsonNode all = assertSuccess(response);
        List<String> ids = new ArrayList<>();
        all.forEach(s -> ids.add(s.get("id").asString()));
        assertThat(ids).containsExactly("websockets", "ip_geolocation", "ipv6", "pseudo_ipv4", "opportunistic_onion",
                "grpc", "true_client_ip_header", "max_upload");
        for (JsonNode setting : all) {
            assertThat(setting.propertyNames()).containsExactlyInAnyOrder("id", "value", "editable", "modified_on");
            assertThat(setting.get("modified_on").isNull()).isTrue();
        }
        assertThat(value(all, "websockets").asString()).isEqualTo("on");
        assertThat(value(all, "pseudo_ipv4").asString()).isEqualTo("off");
        assertThat(value(all, "grpc").asString()).isEqualTo("off");
        assertThat(value(all, "max_upload").isIntegralNumber()).isTrue();
        assertThat(value(all, "max_upload").asInt()).isEqualTo(100);
        assertThat(find(all, "ipv6").get("editable").asBoolean()).isFalse();
        assertThat(find(all, "true_client_ip_header").get("editable").asBoolean()).isFalse();
        // A Free zone may choose 100 MB, its only allowed value, so it is editable (re-applying it is a no-op).
        assertThat(find(all, "max_upload").get("editable").asBoolean()).isTrue();
        assertThat(find(all, "websockets").get("editable").asBoolean()).isTrue();
        assertThat(response.json().get("result_info").get("count").asInt()).isEqualTo(8);
    }

    @Test
    void singleSettingHasAnEtagAndNullModifiedOnWhileTheDefaultApplies() {
        String zone = zone("business");
        ApiClient.Response response = api().get("/zones/" + zone + "/settings/max_upload");
        JsonNode setting = assertSuccess(response);
        assertThat(setting.get("id").asString()).isEqualTo("max_upload");
        assertThat(setting.get("value").asInt()).isEqualTo(200);
        assertThat(setting.get("editable").asBoolean()).isTrue();
        assertThat(setting.get("modified_on").isNull()).isTrue();
        assertThat(response.header("ETag")).hasValueSatisfying(etag -> assertThat(etag).matches("\"[0-9a-f]+\""));
    }

    @Test
    void patchChangesTheValueRecordsOneRevisionAndIsVisibleOnGet() {
        String zone = zone("free");
        long rowsBefore = rows(zone);
        ApiClient.Response patched = api().patch("/client/v4/zones/" + zone + "/settings/websockets", "{\"value\":\"off\"}");
        JsonNode result = assertSuccess(patched);
        assertThat(result.get("value").asString()).isEqualTo("off");
        assertThat(result.get("modified_on").asString()).matches(TIMESTAMP);
        long revision = Long.parseLong(patched.header("Zoneplane-Revision").orElseThrow());
        assertThat(rows(zone)).isEqualTo(rowsBefore + 1);

        ApiClient.Response read = api().get("/zones/" + zone + "/settings/websockets");
        assertThat(assertSuccess(read)).isEqualTo(result);
        assertThat(read.header("ETag")).isEqualTo(patched.header("ETag"));

        Change.ZoneUpserted change = (Change.ZoneUpserted) WireFormat.changeFromJson(payload(revision));
        assertThat(change.zone().id()).isEqualTo(zone);
        assertThat(change.zone().settings().toggle(Setting.WEBSOCKETS)).isFalse();
    }

    @Test
    void patchToTheValueInEffectIsANoOpWithoutRevisionHeaderOrRow() {
        String zone = zone("free");
        long rowsBefore = rows(zone);
        ApiClient.Response sameAsDefault = api().patch("/zones/" + zone + "/settings/websockets", "{\"value\":\"on\"}");
        assertThat(assertSuccess(sameAsDefault).get("modified_on").isNull()).isTrue();
        assertThat(sameAsDefault.header("Zoneplane-Revision")).isEmpty();
        assertThat(rows(zone)).isEqualTo(rowsBefore);

        JsonNode changed = assertSuccess(api().patch("/zones/" + zone + "/settings/grpc", "{\"value\":\"on\"}"));
        ApiClient.Response again = api().patch("/zones/" + zone + "/settings/grpc", "{\"value\":\"on\"}");
        assertThat(assertSuccess(again)).isEqualTo(changed);
        assertThat(again.header("Zoneplane-Revision")).isEmpty();
        assertThat(rows(zone)).isEqualTo(rowsBefore + 1);
    }

    @Test
    void ifMatchMustMatchTheCurrentEtagElse412AndNothingChanges() {
        String zone = zone("free");
        String path = "/zones/" + zone + "/settings/ip_geolocation";
        String original = api().get(path).header("ETag").orElseThrow();
        ApiClient.Response first = api().withHeader("If-Match", original).patch(path, "{\"value\":\"off\"}");
        assertSuccess(first);
        String current = first.header("ETag").orElseThrow();
        assertThat(current).isNotEqualTo(original);

        long rowsBefore = rows(zone);
        assertFailure(api().withHeader("If-Match", original).patch(path, "{\"value\":\"on\"}"), 412, 9412);
        assertThat(assertSuccess(api().get(path)).get("value").asString()).isEqualTo("off");
        assertThat(rows(zone)).isEqualTo(rowsBefore);

        assertSuccess(api().withHeader("If-Match", "\"nope\", " + current).patch(path, "{\"value\":\"on\"}"));
        assertSuccess(api().withHeader("If-Match", "*").patch(path, "{\"value\":\"off\"}"));
    }

    @Test
    void unknownSettingIs404WithCode1006NamingIt() {
        String zone = zone("free");
        ApiClient.Response get = api().get("/zones/" + zone + "/settings/always_use_https");
        assertFailure(get, 404, 1006);
        assertThat(get.json().get("errors").get(0).get("message").asString())
                .isEqualTo("Unrecognized zone setting name: always_use_https");
        assertFailure(api().patch("/zones/" + zone + "/settings/always_use_https", "{\"value\":\"on\"}"), 404, 1006);
    }

    @Test
    void invalidValueIs400WithCode1007NamingTheSettingAndTheAllowedValues() {
        String zone = zone("enterprise");
        ApiClient.Response bad = api().patch("/zones/" + zone + "/settings/pseudo_ipv4", "{\"value\":\"sometimes\"}");
        assertFailure(bad, 400, 1007);
        assertThat(bad.json().get("errors").get(0).get("message").asString())
                .contains("pseudo_ipv4").contains("off").contains("add_header").contains("overwrite_header");
        for (String value : List.of("\"ON\"", "true", "1", "null", "{}", "[]", "\"\"")) {
            assertFailure(api().patch("/zones/" + zone + "/settings/websockets", "{\"value\":" + value + "}"), 400, 1007);
        }
        for (String value : List.of("\"big\"", "101", "100.0", "99", "6000", "-100", "1e2", "true")) {
            ApiClient.Response size = api().patch("/zones/" + zone + "/settings/max_upload", "{\"value\":" + value + "}");
            assertFailure(size, 400, 1007);
            assertThat(size.json().get("errors").get(0).get("message").asString()).contains("max_upload").contains("5000");
        }
    }

    @Test
    void maxUploadAcceptsItsNumberWrittenAsAStringAndAnswersAnInteger() {
        String zone = zone("business");
        JsonNode result = assertSuccess(api().patch("/zones/" + zone + "/settings/max_upload", "{\"value\":\"150\"}"));
        assertThat(result.get("value").isIntegralNumber()).isTrue();
        assertThat(result.get("value").asInt()).isEqualTo(150);
    }

    @Test
    void settingThePlanMayNotChangeIs403WithCode1057() {
        String free = zone("free");
        ApiClient.Response ipv6 = api().patch("/zones/" + free + "/settings/ipv6", "{\"value\":\"off\"}");
        assertFailure(ipv6, 403, 1057);
        assertThat(ipv6.json().get("errors").get(0).get("message").asString()).contains("ipv6").contains("cannot be modified");
        assertFailure(api().patch("/zones/" + free + "/settings/true_client_ip_header", "{\"value\":\"on\"}"), 403, 1057);
        String business = zone("business");
        ApiClient.Response ceiling = api().patch("/zones/" + business + "/settings/max_upload", "{\"value\":500}");
        assertFailure(ceiling, 403, 1057);
        assertThat(ceiling.json().get("errors").get(0).get("message").asString()).contains("max_upload").contains("200");
    }

    @Test
    void settingBodyWithUnknownOrMissingFieldsIs400AndChangesNothing() {
        String zone = zone("free");
        long rowsBefore = rows(zone);
        assertFailure(api().patch("/zones/" + zone + "/settings/websockets", "{\"value\":\"off\",\"force\":true}"), 400, 1003);
        assertFailure(api().patch("/zones/" + zone + "/settings/websockets", "{\"enabled\":false}"), 400, 1003);
        assertFailure(api().patch("/zones/" + zone + "/settings/websockets", "{}"), 400, 1003);
        assertThat(rows(zone)).isEqualTo(rowsBefore);
        assertThat(assertSuccess(api().get("/zones/" + zone + "/settings/websockets")).get("value").asString()).isEqualTo("on");
    }

    @Test
    void bulkPatchAppliesAllItemsInOneRevision() {
        String zone = zone("enterprise");
        long rowsBefore = rows(zone);
        ApiClient.Response bulk = api().patch("/client/v4/zones/" + zone + "/settings",
                "{\"items\":[{\"id\":\"ipv6\",\"value\":\"off\"},{\"id\":\"max_upload\",\"value\":1000},{\"id\":\"websockets\",\"value\":\"on\"}]}");
        JsonNode result = assertSuccess(bulk);
        assertThat(result.size()).isEqualTo(3);
        assertThat(result.get(0).get("id").asString()).isEqualTo("ipv6");
        assertThat(result.get(0).get("value").asString()).isEqualTo("off");
        assertThat(result.get(1).get("value").asInt()).isEqualTo(1000);
        assertThat(result.get(2).get("modified_on").isNull()).as("unchanged default stays default").isTrue();
        assertThat(rows(zone)).isEqualTo(rowsBefore + 1);
        long revision = Long.parseLong(bulk.header("Zoneplane-Revision").orElseThrow());
        Change.ZoneUpserted change = (Change.ZoneUpserted) WireFormat.changeFromJson(payload(revision));
        assertThat(change.zone().settings().toggle(Setting.IPV6)).isFalse();
        assertThat(change.zone().settings().get(Setting.MAX_UPLOAD).text()).isEqualTo("1000");

        ApiClient.Response again = api().patch("/zones/" + zone + "/settings",
                "{\"items\":[{\"id\":\"ipv6\",\"value\":\"off\"},{\"id\":\"max_upload\",\"value\":1000}]}");
        assertSuccess(again);
        assertThat(again.header("Zoneplane-Revision")).isEmpty();
        assertThat(rows(zone)).isEqualTo(rowsBefore + 1);
    }

    @Test
    void bulkPatchWithoutItemsIs400WithCode1004() {
        String zone = zone("free");
        for (String body : List.of("{}", "{\"items\":[]}", "{\"items\":null}")) {
            ApiClient.Response response = api().patch("/zones/" + zone + "/settings", body);
            assertFailure(response, 400, 1004);
            assertThat(response.json().get("errors").get(0).get("message").asString()).isEqualTo("Missing 'items'");
        }
        assertFailure(api().patch("/zones/" + zone + "/settings", "{\"items\":{\"id\":\"grpc\"}}"), 400, 1003);
    }

    @Test
    void bulkPatchWithOneBadItemChangesNothing() {
        String zone = zone("pro");
        JsonNode before = assertSuccess(api().get("/zones/" + zone + "/settings"));
        long rowsBefore = rows(zone);
        String good = "{\"id\":\"websockets\",\"value\":\"off\"},{\"id\":\"grpc\",\"value\":\"on\"}";
        assertFailure(api().patch("/zones/" + zone + "/settings", "{\"items\":[" + good + ",{\"id\":\"pseudo_ipv4\",\"value\":\"x\"}]}"), 400, 1007);
        assertFailure(api().patch("/zones/" + zone + "/settings", "{\"items\":[" + good + ",{\"id\":\"ipv6\",\"value\":\"off\"}]}"), 403, 1057);
        assertFailure(api().patch("/zones/" + zone + "/settings", "{\"items\":[" + good + ",{\"id\":\"nope\",\"value\":\"on\"}]}"), 404, 1006);
        assertFailure(api().patch("/zones/" + zone + "/settings", "{\"items\":[" + good + ",{\"id\":\"grpc\",\"value\":\"off\"}]}"), 400, 1003);
        assertFailure(api().patch("/zones/" + zone + "/settings", "{\"items\":[" + good + ",{\"id\":\"grpc\"}]}"), 400, 1003);
        assertFailure(api().patch("/zones/" + zone + "/settings", "{\"items\":[" + good + "],\"extra\":1}"), 400, 1003);
        assertThat(assertSuccess(api().get("/zones/" + zone + "/settings"))).isEqualTo(before);
        assertThat(rows(zone)).isEqualTo(rowsBefore);
    }

    private long rows(String zone) {
        return jdbc.sql("select count(*) from change_log where zone_id = :z").param("z", zone).query(Long.class).single();
    }

    private String payload(long revision) {
        return jdbc.sql("select payload::text from change_log where revision = :r").param("r", revision).query(String.class).single();
    }

    private static JsonNode find(JsonNode all, String id) {
        for (JsonNode s : all) {
            if (s.get("id").asString().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no setting " + id);
    }

    private static JsonNode value(JsonNode all, String id) {
        return find(all, id).get("value");
    }
}
