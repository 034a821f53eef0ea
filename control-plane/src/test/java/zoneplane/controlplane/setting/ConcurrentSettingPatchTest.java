package zoneplane.controlplane.setting;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertSuccess;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.model.Change;
import zoneplane.model.Setting;
import zoneplane.model.SettingValue;
import zoneplane.model.ZoneConfig;
import zoneplane.model.wire.WireFormat;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

/**
 * 50 PATCHes at once against one zone lose nothing: every effective change gets exactly one
 * change-log row, revisions are gap-free and equal to the headers answered, each row holds the value
 * its request set, and the last row is the state the API shows afterwards.
 */
class ConcurrentSettingPatchTest extends ControlPlaneIntegrationTest {

    private static final int REQUESTS = 50;

    @Autowired
    JdbcClient jdbc;

    private record Patch(Setting setting, String json) {}

    private record Answer(Patch patch, ApiClient.Response response) {}

    @Test
    void fiftyConcurrentPatchesOfDifferentSettingsOfOneZoneLoseNothing() throws Exception {
        String zone = new Fixtures(api()).zoneId("enterprise");
        List<Patch> patches = new ArrayList<>();
        Setting[] settings = Setting.values();
        for (int i = 0; i < REQUESTS; i++) {
            Setting setting = settings[i % settings.length];
            List<SettingValue> values = setting.allValues();
            SettingValue value = values.get((i / settings.length + 1) % values.size());
            patches.add(new Patch(setting, value instanceof SettingValue.Megabytes ? value.text() : "\"" + value.text() + "\""));
        }
        verify(zone, runConcurrently(zone, patches));
    }

    @Test
    void fiftyConcurrentPatchesOfTheSameSettingLoseNothing() throws Exception {
        String zone = new Fixtures(api()).zoneId("free");
        List<Patch> patches = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            patches.add(new Patch(Setting.WEBSOCKETS, i % 2 == 0 ? "\"off\"" : "\"on\""));
        }
        List<Answer> answers = runConcurrently(zone, patches);
        List<ZoneConfig> rows = verify(zone, answers);
        for (int i = 1; i < rows.size(); i++) {
            assertThat(rows.get(i).settings().get(Setting.WEBSOCKETS))
                    .as("consecutive rows are effective changes").isNotEqualTo(rows.get(i - 1).settings().get(Setting.WEBSOCKETS));
        }
    }

    private List<Answer> runConcurrently(String zone, List<Patch> patches) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(patches.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Answer>> futures = new ArrayList<>();
            for (Patch patch : patches) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return new Answer(patch, api().patch("/zones/" + zone + "/settings/" + patch.setting().id(),
                            "{\"value\":" + patch.json() + "}"));
                }));
            }
            start.countDown();
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Checks the answers against the change log; returns the zone's rows after creation, in revision order. */
    private List<ZoneConfig> verify(String zone, List<Answer> answers) {
        long created = jdbc.sql("select min(revision) from change_log where zone_id = :z").param("z", zone).query(Long.class).single();
        Map<Long, Answer> byRevision = new HashMap<>();
        for (Answer answer : answers) {
            assertSuccess(answer.response());
            answer.response().header("Zoneplane-Revision")
                    .ifPresent(r -> assertThat(byRevision.put(Long.parseLong(r), answer)).as("revision answered twice").isNull());
        }
        List<Map<String, Object>> rows = jdbc.sql("select revision, payload::text as payload from change_log"
                        + " where zone_id = :z and revision > :created order by revision")
                .param("z", zone).param("created", created).query().listOfRows();
        assertThat(rows).hasSize(byRevision.size());
        assertThat(byRevision).isNotEmpty();

        List<Long> revisions = rows.stream().map(r -> ((Number) r.get("revision")).longValue()).toList();
        assertThat(revisions).containsExactlyInAnyOrderElementsOf(byRevision.keySet());
        List<Long> global = jdbc.sql("select revision from change_log where revision >= :from order by revision")
                .param("from", revisions.get(0)).query(Long.class).list();
        for (int i = 1; i < global.size(); i++) {
            assertThat(global.get(i)).as("gap-free revisions").isEqualTo(global.get(i - 1) + 1);
        }
        assertThat(jdbc.sql("select revision from config_revision").query(Long.class).single()).isEqualTo(global.get(global.size() - 1));

        List<ZoneConfig> configs = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            long revision = ((Number) row.get("revision")).longValue();
            ZoneConfig config = ((Change.ZoneUpserted) WireFormat.changeFromJson((String) row.get("payload"))).zone();
            Patch patch = byRevision.get(revision).patch();
            assertThat(config.settings().get(patch.setting()).text()).as("row " + revision + " holds its request's value")
                    .isEqualTo(patch.json().replace("\"", ""));
            configs.add(config);
        }

        JsonNode finalState = assertSuccess(api().get("/zones/" + zone + "/settings"));
        ZoneConfig last = configs.get(configs.size() - 1);
        for (JsonNode setting : finalState) {
            Setting s = Setting.fromId(setting.get("id").asString()).orElseThrow();
            assertThat(setting.get("value").asString()).as(s.id()).isEqualTo(last.settings().get(s).text());
        }
        return configs;
    }
}
