package zoneplane.controlplane.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertFailure;
import static zoneplane.testing.Envelopes.assertSuccess;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.model.Change;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.wire.WireFormat;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

class ZoneApiTest extends ControlPlaneIntegrationTest {

    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z";

    @Autowired
    JdbcClient jdbc;

    private Fixtures fixtures() {
        return new Fixtures(api());
    }

    private ApiClient.Response create(String json) {
        return api().post("/client/v4/zones", json);
    }

    @Test
    void zoneCreatedWithExactlyWhatTheCloudflareSdkSendsGetsDefaults() {
        String account = fixtures().account();
        String name = Fixtures.uniqueName();
        ApiClient.Response response = create("{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + name + "\",\"type\":\"full\"}");
        JsonNode zone = assertSuccess(response);
        assertThat(zone.get("id").asString()).matches("[0-9a-f]{32}");
        assertThat(zone.get("name").asString()).isEqualTo(name);
        assertThat(zone.get("status").asString()).isEqualTo("active");
        assertThat(zone.get("paused").asBoolean()).isFalse();
        assertThat(zone.get("type").asString()).isEqualTo("full");
        assertThat(zone.get("account").get("id").asString()).isEqualTo(account);
        assertThat(zone.get("account").get("name").asString()).startsWith("Account ");
        assertThat(zone.get("plan").get("id").asString()).isEqualTo("0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
        assertThat(zone.get("plan").get("legacy_id").asString()).isEqualTo("free");
        assertThat(zone.get("plan").get("name").asString()).isEqualTo("Free Website");
        assertThat(zone.get("created_on").asString()).matches(TIMESTAMP);
        assertThat(zone.get("modified_on").asString()).matches(TIMESTAMP);
        assertThat(zone.get("origin").isNull()).isTrue();
        assertThat(response.header("Zoneplane-Revision")).isPresent();
        // Cloudflare's zone fields (issue 20 item 11)
        assertThat(zone.get("activated_on").asString()).matches(TIMESTAMP);
        assertThat(zone.get("name_servers").size()).isEqualTo(2);
        assertThat(zone.get("name_servers").get(0).asString()).endsWith(".ns.zoneplane.invalid")
                .isNotEqualTo(zone.get("name_servers").get(1).asString());
        assertThat(zone.get("original_name_servers").isNull()).isTrue();
        assertThat(zone.get("meta").get("phishing_detected").asBoolean()).isFalse();
        assertThat(zone.get("owner").get("id").asString()).isEqualTo(account);
        assertThat(zone.get("owner").get("type").asString()).isEqualTo("organization");
        assertThat(zone.get("development_mode").asInt()).isZero();
        // every zone of an account shows the same pair, as on Cloudflare
        JsonNode sibling = assertSuccess(create("{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + Fixtures.uniqueName() + "\"}"));
        assertThat(sibling.get("name_servers")).isEqualTo(zone.get("name_servers"));
    }

    @Test
    void aPlanMayBeNamedByItsHexIdOrItsLegacyId() {
        String account = fixtures().account();
        JsonNode pro = assertSuccess(create("{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + Fixtures.uniqueName()
                + "\",\"plan\":\"pro\"}"));
        String proId = pro.get("plan").get("id").asString();
        assertThat(proId).matches("[0-9a-f]{32}").isNotEqualTo("0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
        JsonNode byHex = assertSuccess(create("{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + Fixtures.uniqueName()
                + "\",\"plan\":{\"id\":\"" + proId + "\"}}"));
        assertThat(byHex.get("plan").get("legacy_id").asString()).isEqualTo("pro");
        assertThat(byHex.get("plan").get("name").asString()).isEqualTo("Pro Website");
        assertFailure(create("{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + Fixtures.uniqueName()
                + "\",\"plan\":{\"id\":\"" + "0".repeat(32) + "\"}}"), 400, 1003);
    }

    @Test
    void creationWritesOneChangeLogRowWithTheZonesFullStateUnderTheRevisionInTheHeader() {
        String account = fixtures().account();
        String name = Fixtures.uniqueName();
        ApiClient.Response response = create("{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + name
                + "\",\"plan\":{\"id\":\"business\"},\"origin\":\"HTTP://Origin.Example:8080/base\"}");
        JsonNode zone = assertSuccess(response);
        long revision = Long.parseLong(response.header("Zoneplane-Revision").orElseThrow());
        assertThat(zone.get("origin").asString()).isEqualTo("http://origin.example:8080/base");

        Map<String, Object> row = jdbc.sql("select zone_id, kind, payload::text as payload from change_log where revision = :r")
                .param("r", revision).query().singleRow();
        assertThat(row.get("zone_id")).isEqualTo(zone.get("id").asString());
        assertThat(row.get("kind")).isEqualTo("zone_upserted");
        Change.ZoneUpserted change = (Change.ZoneUpserted) WireFormat.changeFromJson((String) row.get("payload"));
        assertThat(change.revision()).isEqualTo(revision);
        assertThat(change.zone().name()).isEqualTo(name);
        assertThat(change.zone().plan()).isEqualTo(Plan.BUSINESS);
        assertThat(change.zone().origin()).isEqualTo("http://origin.example:8080/base");
        assertThat(change.zone().settings().get(Setting.MAX_UPLOAD).text()).isEqualTo("200");
    }

    @Test
    void internationalisedNamesAreStoredAsLowerCasePunycode() {
        String account = fixtures().account();
        String suffix = ".zp" + ProcessHandle.current().pid() + ".example";
        JsonNode zone = assertSuccess(create("{\"account\":{\"id\":\"" + account + "\"},\"name\":\"Bücher" + suffix + ".\"}"));
        assertThat(zone.get("name").asString()).isEqualTo("xn--bcher-kva" + suffix);
        assertFailure(create("{\"account\":{\"id\":\"" + account + "\"},\"name\":\"xn--bcher-kva" + suffix + "\"}"), 400, 1061);
    }

    @Test
    void duplicateNameInTheSameAccountIs400WithCode1061CaseInsensitively() {
        String account = fixtures().account();
        String name = Fixtures.uniqueName();
        fixtures().zone(account, name, "free");
        ApiClient.Response again = create("{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + name.toUpperCase() + "\"}");
        assertFailure(again, 400, 1061);
        assertThat(again.json().get("errors").get(0).get("message").asString()).isEqualTo(name + " already exists");
    }

    @Test
    void invalidNamesAreRefusedWith400() {
        String account = fixtures().account();
        for (String bad : List.of("", "localhost", "-bad.example.com", "bad-.example.com", "exa mple.com", "a..b.com",
                "under_score.example.com", "x".repeat(64) + ".com", "*.example.com", "http://example.com")) {
            assertFailure(create("{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + bad + "\"}"), 400, 1003);
        }
        assertFailure(create("{\"account\":{\"id\":\"" + account + "\"},\"name\":42}"), 400, 1003);
        assertFailure(create("{\"account\":{\"id\":\"" + account + "\"}}"), 400, 1003);
    }

    @Test
    void invalidOriginsAreRefusedWith400() {
        String account = fixtures().account();
        for (String bad : List.of("ftp://example.com", "example.com", "/relative", "http://", "http://user:pw@example.com",
                "http://example.com/?q=1", "http://example.com/#frag", "javascript:alert(1)", "http://exa mple.com")) {
            ApiClient.Response response = create("{\"account\":{\"id\":\"" + account + "\"},\"name\":\""
                    + Fixtures.uniqueName() + "\",\"origin\":\"" + bad + "\"}");
            assertFailure(response, 400, 1003);
            assertThat(response.json().get("errors").get(0).get("message").asString()).contains("origin");
        }
    }

    @Test
    void otherInvalidCreationBodiesAre400AndWriteNothing() {
        String account = fixtures().account();
        String name = Fixtures.uniqueName();
        long before = changeLogRows();
        assertFailure(create("{\"name\":\"" + name + "\"}"), 400, 1003);
        assertFailure(create("{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + name + "\",\"plan\":\"gold\"}"), 400, 1003);
        assertFailure(create("{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + name + "\",\"type\":\"secondary\"}"), 400, 1003);
        assertFailure(create("{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + name + "\",\"colour\":\"red\"}"), 400, 1003);
        assertFailure(create("{\"account\":\"" + account + "\",\"name\":\"" + name + "\"}"), 400, 1003);
        assertFailure(create("{\"account\":{\"id\":\"0123456789abcdef0123456789abcdef\"},\"name\":\"" + name + "\"}"), 404, 1002);
        assertThat(changeLogRows()).isEqualTo(before);
        assertThat(assertSuccess(api().get("/zones?name=" + name)).size()).isZero();
    }

    @Test
    void zonesAreListedByNameAndAccountWithPaging() {
        String account = fixtures().account();
        String other = fixtures().account();
        List<String> names = List.of("a-" + Fixtures.uniqueName(), "b-" + Fixtures.uniqueName(), "c-" + Fixtures.uniqueName());
        names.forEach(n -> fixtures().zone(account, n, "free"));
        fixtures().zone(other, Fixtures.uniqueName(), "pro");

        ApiClient.Response first = api().get("/client/v4/zones?account.id=" + account + "&per_page=2&page=1");
        JsonNode page1 = assertSuccess(first);
        assertThat(List.of(page1.get(0).get("name").asString(), page1.get(1).get("name").asString()))
                .containsExactly(names.get(0), names.get(1));
        assertThat(page1.size()).isEqualTo(2);
        assertThat(first.json().get("result_info").get("total_count").asLong()).isEqualTo(3);
        assertThat(first.json().get("result_info").get("total_pages").asLong()).isEqualTo(2);
        ApiClient.Response second = api().get("/zones?account.id=" + account + "&per_page=2&page=2");
        JsonNode page2 = assertSuccess(second);
        assertThat(page2.size()).isEqualTo(1);
        assertThat(page2.get(0).get("name").asString()).isEqualTo(names.get(2));
        assertThat(second.json().get("result_info").get("count").asInt()).isEqualTo(1);

        JsonNode byName = assertSuccess(api().get("/zones?name=" + names.get(1).toUpperCase()));
        assertThat(byName.size()).isEqualTo(1);
        assertThat(byName.get(0).get("account").get("id").asString()).isEqualTo(account);
        assertThat(assertSuccess(api().get("/zones?name=nope..example")).size()).isZero();
        assertFailure(api().get("/zones?per_page=1000"), 400, 1003);
    }

    @Test
    void unknownZoneIs404WithCode1001AndAMalformedIdIs400WithCode7003() {
        String unknown = "0123456789abcdef0123456789abcdef";
        assertFailure(api().get("/zones/" + unknown), 404, 1001);
        assertFailure(api().patch("/zones/" + unknown, "{\"paused\":true}"), 404, 1001);
        assertFailure(api().delete("/zones/" + unknown), 404, 1001);
        assertFailure(api().get("/zones/" + unknown + "/settings"), 404, 1001);
        for (String id : List.of("ZZZ", "0123456789ABCDEF0123456789ABCDEF", "1%27%20or%201=1", "0123456789abcdef0123456789abcde")) {
            ApiClient.Response get = api().get("/client/v4/zones/" + id);
            assertFailure(get, 400, 7003);
            assertThat(get.json().get("errors").get(0).get("message").asString())
                    .isEqualTo("Could not route to /zones/" + id + ", perhaps your object identifier is invalid?");
            assertFailure(api().patch("/zones/" + id, "{\"paused\":true}"), 400, 7003);
            assertFailure(api().delete("/zones/" + id), 400, 7003);
            assertFailure(api().get("/zones/" + id + "/settings"), 400, 7003);
            assertFailure(api().patch("/zones/" + id + "/settings/ipv6", "{\"value\":\"off\"}"), 400, 7003);
            assertFailure(api().put("/zones/" + id + "/activation_check", null), 400, 7003);
        }
    }

    @Test
    void patchChangesPlanOriginAndPausedInOneRevision() {
        JsonNode zone = fixtures().zone("enterprise");
        String id = zone.get("id").asString();
        ApiClient.Response ipv6Off = api().patch("/zones/" + id + "/settings/ipv6", "{\"value\":\"off\"}");
        assertSuccess(ipv6Off);

        ApiClient.Response edited = api().patch("/zones/" + id, "{\"plan\":{\"id\":\"pro\"},\"origin\":\"https://new.example\",\"paused\":true}");
        JsonNode result = assertSuccess(edited);
        assertThat(result.get("plan").get("legacy_id").asString()).isEqualTo("pro");
        assertThat(result.get("plan").get("id").asString()).matches("[0-9a-f]{32}");
        assertThat(result.get("origin").asString()).isEqualTo("https://new.example");
        assertThat(result.get("paused").asBoolean()).isTrue();
        long revision = Long.parseLong(edited.header("Zoneplane-Revision").orElseThrow());
        assertThat(revision).isEqualTo(Long.parseLong(ipv6Off.header("Zoneplane-Revision").orElseThrow()) + 1);

        // the downgrade re-derives the settings: ipv6 off is not allowed on pro, so the default is in effect
        JsonNode ipv6 = assertSuccess(api().get("/zones/" + id + "/settings/ipv6"));
        assertThat(ipv6.get("value").asString()).isEqualTo("on");
        assertThat(ipv6.get("editable").asBoolean()).isFalse();
        assertThat(ipv6.get("modified_on").isNull()).isTrue();
        Change.ZoneUpserted change = (Change.ZoneUpserted) WireFormat.changeFromJson(payload(revision));
        assertThat(change.zone().plan()).isEqualTo(Plan.PRO);
        assertThat(change.zone().paused()).isTrue();
        assertThat(change.zone().settings().toggle(Setting.IPV6)).isTrue();
        assertThat(change.zone().settings().get(Setting.MAX_UPLOAD).text()).isEqualTo("100");

        // origin null removes it
        JsonNode cleared = assertSuccess(api().patch("/zones/" + id, "{\"origin\":null}"));
        assertThat(cleared.get("origin").isNull()).isTrue();
    }

    @Test
    void patchThatChangesNothingWritesNoRevisionAndAnswersWithoutTheHeader() {
        JsonNode zone = fixtures().zone("free");
        String id = zone.get("id").asString();
        long before = changeLogRows();
        ApiClient.Response same = api().patch("/zones/" + id, "{\"plan\":\"free\",\"paused\":false,\"origin\":\"http://127.0.0.1:9\"}");
        assertThat(assertSuccess(same).get("modified_on").asString()).isEqualTo(zone.get("modified_on").asString());
        assertThat(same.header("Zoneplane-Revision")).isEmpty();
        assertSuccess(api().patch("/zones/" + id, "{}"));
        assertThat(changeLogRows()).isEqualTo(before);
    }

    @Test
    void invalidPatchBodiesAre400() {
        String id = fixtures().zoneId("free");
        assertFailure(api().patch("/zones/" + id, "{\"plan\":\"platinum\"}"), 400, 1003);
        assertFailure(api().patch("/zones/" + id, "{\"paused\":\"yes\"}"), 400, 1003);
        assertFailure(api().patch("/zones/" + id, "{\"origin\":\"gopher://x\"}"), 400, 1003);
        assertFailure(api().patch("/zones/" + id, "{\"name\":\"rename.example.com\"}"), 400, 1003);
        assertFailure(api().patch("/zones/" + id, "{\"type\":\"partial\"}"), 400, 1003);
    }

    @Test
    void deleteAnswersTheIdWritesAZoneDeletedRowAndTheZoneIsGone() {
        JsonNode zone = fixtures().zone("free");
        String id = zone.get("id").asString();
        assertSuccess(api().patch("/zones/" + id + "/settings/websockets", "{\"value\":\"off\"}"));
        ApiClient.Response deleted = api().delete("/client/v4/zones/" + id);
        assertThat(assertSuccess(deleted).get("id").asString()).isEqualTo(id);
        long revision = Long.parseLong(deleted.header("Zoneplane-Revision").orElseThrow());
        Change.ZoneDeleted change = (Change.ZoneDeleted) WireFormat.changeFromJson(payload(revision));
        assertThat(change.zoneId()).isEqualTo(id);
        assertThat(change.name()).isEqualTo(zone.get("name").asString());
        assertThat(jdbc.sql("select kind from change_log where revision = :r").param("r", revision).query(String.class).single())
                .isEqualTo("zone_deleted");
        assertFailure(api().get("/zones/" + id), 404, 1001);
        assertFailure(api().get("/zones/" + id + "/settings/websockets"), 404, 1001);
        assertFailure(api().delete("/zones/" + id), 404, 1001);
        // the name is free again
        fixtures().zone(zone.get("account").get("id").asString(), zone.get("name").asString(), "free");
    }

    @Test
    void rootAndClientV4AnswerIdentically() {
        String id = fixtures().zoneId("pro");
        assertThat(api().get("/client/v4/zones/" + id).body()).isEqualTo(api().get("/zones/" + id).body());
    }

    private long changeLogRows() {
        return jdbc.sql("select count(*) from change_log").query(Long.class).single();
    }

    private String payload(long revision) {
        return jdbc.sql("select payload::text from change_log where revision = :r").param("r", revision).query(String.class).single();
    }
}
