package zoneplane.controlplane.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.auth.SecurityFixtures;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

/** Every change path writes its audit rows, with who, what, old → new and the revision; no-ops write none. */
class ChangeAuditTest extends ControlPlaneIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    String account;
    SecurityFixtures.Issued editor;
    ApiClient asEditor;

    @BeforeEach
    void setUp() {
        account = new Fixtures(api()).account();
        editor = new SecurityFixtures(api(), jdbc).token(account, "zone:edit", "zone_settings:edit");
        asEditor = anonymous().withToken(editor.value());
    }

    JsonNode log(String query) {
        ApiClient.Response answer = api().get("/accounts/" + account + "/audit_logs" + query);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.result();
    }

    long revision(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return Long.parseLong(response.header("Zoneplane-Revision").orElseThrow());
    }

    String createZone() {
        // by the operator: a tenant's token cannot choose a plan
        ApiClient.Response created = api().post("/zones", "{\"account\":{\"id\":\"" + account + "\"},\"name\":\""
                + Fixtures.uniqueName() + "\",\"plan\":\"business\",\"origin\":\"http://127.0.0.1:9\"}");
        revision(created);
        return created.result().get("id").asString();
    }

    @Test
    void zoneCreateEditAndDeleteAreAuditedWithTheirRevisionAndActor() {
        ApiClient.Response created = asEditor.withHeader("X-Request-Id", "create-1").post("/zones", "{\"account\":{\"id\":\""
                + account + "\"},\"name\":\"" + Fixtures.uniqueName() + "\"}");
        String zone = created.result().get("id").asString();
        long createdAt = revision(created);
        long editedAt = revision(asEditor.patch("/zones/" + zone, "{\"origin\":\"http://127.0.0.1:10\",\"paused\":true}"));
        long deletedAt = revision(asEditor.delete("/zones/" + zone));

        JsonNode entries = log("?zone_id=" + zone);
        assertThat(entries.size()).isEqualTo(3);
        JsonNode deleted = entries.get(0);
        assertThat(deleted.get("action").asString()).isEqualTo("zone_deleted");
        assertThat(deleted.get("revision").asLong()).isEqualTo(deletedAt);
        assertThat(deleted.get("old_value").get("origin").asString()).isEqualTo("http://127.0.0.1:10");
        assertThat(deleted.get("new_value").isNull()).isTrue();
        JsonNode edited = entries.get(1);
        assertThat(edited.get("action").asString()).isEqualTo("zone_edited");
        assertThat(edited.get("revision").asLong()).isEqualTo(editedAt);
        assertThat(edited.get("old_value").get("origin").isNull()).isTrue();
        assertThat(edited.get("old_value").get("paused").asBoolean()).isFalse();
        assertThat(edited.get("new_value").get("origin").asString()).isEqualTo("http://127.0.0.1:10");
        assertThat(edited.get("new_value").get("paused").asBoolean()).isTrue();
        JsonNode createdEntry = entries.get(2);
        assertThat(createdEntry.get("action").asString()).isEqualTo("zone_created");
        assertThat(createdEntry.get("revision").asLong()).isEqualTo(createdAt);
        assertThat(createdEntry.get("request_id").asString()).isEqualTo("create-1");
        for (JsonNode entry : entries) {
            assertThat(entry.get("actor").get("type").asString()).isEqualTo("token");
            assertThat(entry.get("actor").get("id").asString()).isEqualTo(editor.id());
        }
    }

    @Test
    void singleSettingPatchIsAuditedOldToNewAsJsonNumbersForSizes() {
        String zone = createZone();
        long at = revision(asEditor.patch("/zones/" + zone + "/settings/max_upload", "{\"value\":150}"));
        JsonNode entries = log("?zone_id=" + zone + "&setting=max_upload");
        assertThat(entries.size()).isEqualTo(1);
        assertThat(entries.get(0).get("action").asString()).isEqualTo("zone_setting_edited");
        // a business zone's default is 200 MB
        assertThat(entries.get(0).get("old_value").isNumber()).isTrue();
        assertThat(entries.get(0).get("old_value").asInt()).isEqualTo(200);
        assertThat(entries.get(0).get("new_value").asInt()).isEqualTo(150);
        assertThat(entries.get(0).get("revision").asLong()).isEqualTo(at);
    }

    @Test
    void settingPatchRecordsTheValueThatWasInEffectBefore() {
        String zone = createZone();
        long at = revision(asEditor.patch("/zones/" + zone + "/settings/websockets", "{\"value\":\"off\"}"));
        JsonNode entry = log("?zone_id=" + zone + "&setting=websockets").get(0);
        assertThat(entry.get("old_value").asString()).isEqualTo("on");
        assertThat(entry.get("new_value").asString()).isEqualTo("off");
        assertThat(entry.get("revision").asLong()).isEqualTo(at);
    }

    @Test
    void bulkPatchWritesOneRowPerChangedSettingUnderOneRevision() {
        String zone = createZone();
        asEditor.patch("/zones/" + zone + "/settings/grpc", "{\"value\":\"on\"}");
        long at = revision(asEditor.patch("/zones/" + zone + "/settings", "{\"items\":[{\"id\":\"grpc\",\"value\":\"on\"},"
                + "{\"id\":\"websockets\",\"value\":\"off\"},{\"id\":\"pseudo_ipv4\",\"value\":\"overwrite_header\"}]}"));
        JsonNode entries = log("?zone_id=" + zone);
        long underBulk = 0;
        for (JsonNode entry : entries) {
            if (entry.get("revision").asLong() == at) {
                underBulk++;
                assertThat(entry.get("setting_id").asString()).isIn("websockets", "pseudo_ipv4");
            }
        }
        // grpc was already on: unchanged settings of a bulk PATCH are not audited
        assertThat(underBulk).isEqualTo(2);
    }

    @Test
    void noOpPatchesWriteNoAuditRows() {
        String zone = createZone();
        asEditor.patch("/zones/" + zone + "/settings/websockets", "{\"value\":\"off\"}");
        asEditor.patch("/zones/" + zone, "{\"paused\":true}");
        long rows = log("").size();
        ApiClient.Response sameSetting = asEditor.patch("/zones/" + zone + "/settings/websockets", "{\"value\":\"off\"}");
        ApiClient.Response sameBulk = asEditor.patch("/zones/" + zone + "/settings", "{\"items\":[{\"id\":\"websockets\",\"value\":\"off\"}]}");
        ApiClient.Response defaultAgain = asEditor.patch("/zones/" + zone + "/settings/grpc", "{\"value\":\"off\"}");
        ApiClient.Response sameZone = asEditor.patch("/zones/" + zone, "{\"paused\":true}");
        for (ApiClient.Response noOp : new ApiClient.Response[] {sameSetting, sameBulk, defaultAgain, sameZone}) {
            assertThat(noOp.status()).as(noOp.toString()).isEqualTo(200);
            assertThat(noOp.header("Zoneplane-Revision")).isEmpty();
        }
        assertThat(log("").size()).isEqualTo(rows);
    }

    @Test
    void refusedChangesWriteNoAuditRows() {
        String zone = createZone();
        long rows = log("").size();
        asEditor.patch("/zones/" + zone + "/settings/websockets", "{\"value\":\"maybe\"}");
        asEditor.patch("/zones/" + zone + "/settings", "{\"items\":[{\"id\":\"ipv6\",\"value\":\"off\"},{\"id\":\"grpc\",\"value\":7}]}");
        anonymous().withToken(new SecurityFixtures(api(), jdbc).token(account, "zone_settings:read").value())
                .patch("/zones/" + zone + "/settings/ipv6", "{\"value\":\"off\"}");
        assertThat(log("").size()).isEqualTo(rows + 1); // + the read-only token's own creation
    }
}
