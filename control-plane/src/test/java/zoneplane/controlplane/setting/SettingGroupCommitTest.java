package zoneplane.controlplane.setting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.auth.SecurityFixtures;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.controlplane.support.RevisionLockHolder;
import zoneplane.model.Change;
import zoneplane.model.Setting;
import zoneplane.model.ZoneConfig;
import zoneplane.model.wire.WireFormat;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

/**
 * Group commit of setting changes ({@link SettingWriter}), made deterministic: the test holds the
 * revision lock, so the first PATCH waits inside its transaction while the others queue up behind
 * it (the writer's queue gauge says when all are queued). Released, the queued changes are written
 * together, and each is answered exactly as it would be alone.
 */
class SettingGroupCommitTest extends ControlPlaneIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    String account;
    SecurityFixtures.Issued editor;
    ApiClient asEditor;

    @BeforeEach
    void setUp() {
        account = new Fixtures(api()).account();
        editor = new SecurityFixtures(api(), jdbc).token(account, "zone:edit", "zone_settings:edit", "zone_settings:read");
        asEditor = anonymous().withToken(editor.value());
    }

    @Test
    void queuedChangesAreWrittenTogetherAndEachIsAnsweredAsIfAlone() throws Exception {
        String first = zone();
        String b = zone();
        String c = zone();
        String invalid = zone();
        String stale = zone();
        String unchanged = zone();
        String bulk = zone();
        String missing = SecurityFixtures.newId();
        long batchesBefore = batches().count();
        double changesBefore = batches().totalAmount();

        Map<String, CompletableFuture<ApiClient.Response>> answers = new LinkedHashMap<>();
        try (RevisionLockHolder lock = new RevisionLockHolder(dataSource)) {
            answers.put("first", send(() -> patch(asEditor, first, "websockets", "\"off\"", "first")));
            await().atMost(Duration.ofSeconds(30)).alias("the first change to wait for the revision lock").until(lock::othersWait);
            answers.put("b", send(() -> patch(asEditor, b, "websockets", "\"off\"", "b")));
            answers.put("b again", send(() -> patch(asEditor, b, "ip_geolocation", "\"off\"", "b-again")));
            answers.put("c", send(() -> patch(asEditor, c, "ip_geolocation", "\"off\"", "c")));
            answers.put("invalid", send(() -> patch(asEditor, invalid, "websockets", "\"maybe\"", "invalid")));
            answers.put("stale", send(() -> asEditor.withHeader("If-Match", "\"not-the-etag\"")
                    .patch("/zones/" + stale + "/settings/websockets", "{\"value\":\"off\"}")));
            answers.put("unchanged", send(() -> patch(asEditor, unchanged, "websockets", "\"on\"", "unchanged")));
            answers.put("bulk", send(() -> asEditor.withHeader("X-Request-Id", "bulk").patch("/zones/" + bulk + "/settings",
                    "{\"items\":[{\"id\":\"websockets\",\"value\":\"off\"},{\"id\":\"ip_geolocation\",\"value\":\"off\"}]}")));
            answers.put("missing", send(() -> patch(api(), missing, "websockets", "\"off\"", "missing")));
            await().atMost(Duration.ofSeconds(30)).alias("8 changes queued behind the first").until(() -> queued() == 8);
        }
        Map<String, ApiClient.Response> got = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<ApiClient.Response>> answer : answers.entrySet()) {
            got.put(answer.getKey(), answer.getValue().get(60, TimeUnit.SECONDS));
        }

        assertThat(got.get("invalid").status()).isEqualTo(400);
        assertThat(got.get("invalid").errorCode()).isEqualTo(1007);
        assertThat(got.get("stale").status()).isEqualTo(412);
        assertThat(got.get("missing").status()).isEqualTo(404);
        assertThat(got.get("missing").errorCode()).isEqualTo(1001);
        assertThat(got.get("unchanged").status()).isEqualTo(200);
        assertThat(got.get("unchanged").header("Zoneplane-Revision")).isEmpty();
        assertThat(got.get("bulk").result().size()).as(got.get("bulk").toString()).isEqualTo(2);

        // one revision per accepted change, gap-free: the first alone, then the batch, then b's second change
        long firstRevision = revision(got.get("first"));
        List<Long> batch = new ArrayList<>();
        for (String name : List.of("b", "b again", "c", "bulk")) {
            batch.add(revision(got.get(name)));
        }
        assertThat(batch).containsExactlyInAnyOrder(firstRevision + 1, firstRevision + 2, firstRevision + 3, firstRevision + 4);
        assertThat(jdbc.sql("select count(*) from change_log where revision between :from and :to")
                .param("from", firstRevision).param("to", firstRevision + 4).query(Long.class).single()).isEqualTo(5);
        // b's two changes were in order and the later one saw the earlier one
        long bFirst = Math.min(revision(got.get("b")), revision(got.get("b again")));
        long bSecond = Math.max(revision(got.get("b")), revision(got.get("b again")));
        assertThat(payload(bSecond).settings().get(Setting.WEBSOCKETS).text()).isEqualTo("off");
        assertThat(payload(bSecond).settings().get(Setting.IP_GEOLOCATION).text()).isEqualTo("off");
        assertThat(payload(bFirst).id()).isEqualTo(b);
        assertThat(payload(revision(got.get("c"))).settings().get(Setting.IP_GEOLOCATION).text()).isEqualTo("off");
        ZoneConfig bulkPayload = payload(revision(got.get("bulk")));
        assertThat(bulkPayload.settings().get(Setting.WEBSOCKETS).text()).isEqualTo("off");
        assertThat(bulkPayload.settings().get(Setting.IP_GEOLOCATION).text()).isEqualTo("off");

        // three transactions: the first change, the eight queued (b's second change deferred), then it
        assertThat(batches().count() - batchesBefore).isEqualTo(3);
        assertThat(batches().totalAmount() - changesBefore).isEqualTo(9);

        // the audit rows name each change's own request and token, under its own revision
        Map<String, String> zones = Map.of("first", first, "b", b, "c", c);
        Map<String, String> settings = Map.of("first", "websockets", "b", "websockets", "c", "ip_geolocation");
        for (String name : List.of("first", "b", "c")) {
            JsonNode entry = auditOf(zones.get(name), settings.get(name));
            assertThat(entry.get("request_id").asString()).isEqualTo(name);
            assertThat(entry.get("actor").get("id").asString()).isEqualTo(editor.id());
            assertThat(entry.get("revision").asLong()).isEqualTo(revision(got.get(name)));
        }
        assertThat(api().get("/accounts/" + account + "/audit_logs?zone_id=" + invalid + "&setting=websockets").result().size()).isZero();
        assertThat(asEditor.get("/zones/" + stale + "/settings/websockets").result().get("value").asString()).isEqualTo("on");
    }

    @Test
    void aChangeTheDatabaseRefusesFailsAloneAndTheRestOfItsBatchIsWritten() throws Exception {
        String first = zone();
        String refused = zone();
        String okOne = zone();
        String okTwo = zone();
        jdbc.sql("create function test_refuse_zone() returns trigger language plpgsql as $$ begin"
                + " if new.zone_id = '" + refused + "' then raise exception 'refused by the test'; end if; return new; end $$")
                .update();
        jdbc.sql("create trigger test_refuse_zone before insert or update on zone_settings"
                + " for each row execute function test_refuse_zone()").update();
        try {
            Map<String, CompletableFuture<ApiClient.Response>> answers = new LinkedHashMap<>();
            try (RevisionLockHolder lock = new RevisionLockHolder(dataSource)) {
                answers.put("first", send(() -> patch(asEditor, first, "websockets", "\"off\"", "first")));
                await().atMost(Duration.ofSeconds(30)).alias("the first change to wait for the revision lock").until(lock::othersWait);
                answers.put("refused", send(() -> patch(asEditor, refused, "websockets", "\"off\"", "refused")));
                answers.put("ok one", send(() -> patch(asEditor, okOne, "websockets", "\"off\"", "ok-one")));
                answers.put("ok two", send(() -> patch(asEditor, okTwo, "websockets", "\"off\"", "ok-two")));
                await().atMost(Duration.ofSeconds(30)).alias("3 changes queued behind the first").until(() -> queued() == 3);
            }
            ApiClient.Response refusedAnswer = answers.get("refused").get(60, TimeUnit.SECONDS);
            assertThat(refusedAnswer.status()).isEqualTo(500);
            assertThat(refusedAnswer.errorCode()).isEqualTo(1005);
            assertThat(refusedAnswer.body()).doesNotContain("refused by the test");
            long okOneAt = revision(answers.get("ok one").get(60, TimeUnit.SECONDS));
            long okTwoAt = revision(answers.get("ok two").get(60, TimeUnit.SECONDS));
            assertThat(Math.abs(okOneAt - okTwoAt)).isEqualTo(1);
            assertThat(revision(answers.get("first").get(60, TimeUnit.SECONDS))).isEqualTo(Math.min(okOneAt, okTwoAt) - 1);
            assertThat(asEditor.get("/zones/" + refused + "/settings/websockets").result().get("value").asString()).isEqualTo("on");
            assertThat(asEditor.get("/zones/" + okOne + "/settings/websockets").result().get("value").asString()).isEqualTo("off");
            assertThat(jdbc.sql("select count(*) from change_log where zone_id = :z and kind = 'zone_upserted'")
                    .param("z", refused).query(Long.class).single()).isEqualTo(1); // its creation only
        } finally {
            jdbc.sql("drop trigger test_refuse_zone on zone_settings").update();
            jdbc.sql("drop function test_refuse_zone()").update();
        }
        assertThat(revision(patch(asEditor, refused, "websockets", "\"off\"", "refused-later"))).isPositive();
    }

    private String zone() {
        ApiClient.Response created = api().post("/zones", "{\"account\":{\"id\":\"" + account + "\"},\"name\":\""
                + Fixtures.uniqueName() + "\",\"plan\":\"free\",\"origin\":\"http://127.0.0.1:9\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created.result().get("id").asString();
    }

    private static ApiClient.Response patch(ApiClient client, String zone, String setting, String json, String requestId) {
        return client.withHeader("X-Request-Id", requestId).patch("/zones/" + zone + "/settings/" + setting, "{\"value\":" + json + "}");
    }

    private static CompletableFuture<ApiClient.Response> send(Supplier<ApiClient.Response> request) {
        return CompletableFuture.supplyAsync(request, runnable -> new Thread(runnable, "group-commit-test-client").start());
    }

    private static long revision(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return Long.parseLong(response.header("Zoneplane-Revision").orElseThrow());
    }

    private ZoneConfig payload(long revision) {
        String json = jdbc.sql("select payload::text from change_log where revision = :r").param("r", revision).query(String.class).single();
        return ((Change.ZoneUpserted) WireFormat.changeFromJson(json)).zone();
    }

    private JsonNode auditOf(String zone, String setting) {
        JsonNode entries = api().get("/accounts/" + account + "/audit_logs?zone_id=" + zone + "&setting=" + setting).result();
        assertThat(entries.size()).as("audit rows of " + zone).isEqualTo(1);
        return entries.get(0);
    }

    private DistributionSummary batches() {
        return meters.get("zoneplane.settings.write.batch").summary();
    }

    private double queued() {
        return meters.get("zoneplane.settings.write.queued").gauge().value();
    }
}
