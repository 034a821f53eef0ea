package zoneplane.controlplane.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertFailure;
import static zoneplane.testing.Envelopes.assertSuccess;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.auth.SecurityFixtures;
import zoneplane.controlplane.distribution.SnapshotExporter;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

/**
 * Zone names per account (issue 20 item 3), over real HTTP and PostgreSQL: a second account's zone
 * of a name another account serves is created pending (no 409, nothing of the other zone shown),
 * the activation check activates it once the name is free, the operator's check settles a dispute
 * (the active zone becomes moved), and only active zones reach the edge (snapshot and change log).
 */
class ZoneNamesTest extends ControlPlaneIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SnapshotExporter snapshots;

    private SecurityFixtures security() {
        return new SecurityFixtures(api(), jdbc);
    }

    private ApiClient tenant(String account) {
        return anonymous().withToken(security().token(account, "zone:edit", "zone:read", "zone_settings:edit").value());
    }

    private static String createBody(String account, String name) {
        return "{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + name + "\"}";
    }

    @Test
    void anotherAccountsZoneOfAServedNameIsPendingAndRevealsNothing() {
        Fixtures fixtures = new Fixtures(api());
        String a = fixtures.account();
        String b = fixtures.account();
        String name = Fixtures.uniqueName();
        JsonNode first = assertSuccess(tenant(a).post("/zones", createBody(a, name)));
        assertThat(first.get("status").asString()).isEqualTo("active");
        assertThat(first.get("activated_on").isNull()).isFalse();

        ApiClient.Response second = tenant(b).post("/zones", createBody(b, name.toUpperCase()));
        JsonNode pending = assertSuccess(second);
        assertThat(pending.get("status").asString()).isEqualTo("pending");
        assertThat(pending.get("activated_on").isNull()).isTrue();
        assertThat(pending.get("account").get("id").asString()).isEqualTo(b);
        assertThat(second.body()).doesNotContain(a).doesNotContain(first.get("id").asString());
        // B lists only its own zone of the name; A's zone is untouched
        JsonNode listed = assertSuccess(tenant(b).get("/zones?name=" + name));
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).get("id").asString()).isEqualTo(pending.get("id").asString());
        assertThat(assertSuccess(api().get("/zones/" + first.get("id").asString())).get("status").asString()).isEqualTo("active");
        // a third account may hold a pending zone of the name too; the same account twice is 400/1061
        String c = fixtures.account();
        assertThat(assertSuccess(tenant(c).post("/zones", createBody(c, name))).get("status").asString()).isEqualTo("pending");
        assertFailure(tenant(b).post("/zones", createBody(b, name)), 400, 1061);
        assertThat(jdbc.sql("select count(*) from zones where name = :n").param("n", name).query(Long.class).single()).isEqualTo(3);
    }

    @Test
    void activationCheckActivatesAPendingZoneOnlyOnceTheNameIsFree() {
        Fixtures fixtures = new Fixtures(api());
        String a = fixtures.account();
        String b = fixtures.account();
        String name = Fixtures.uniqueName();
        String active = assertSuccess(tenant(a).post("/zones", createBody(a, name))).get("id").asString();
        ApiClient owner = tenant(b);
        String pending = assertSuccess(owner.post("/zones", createBody(b, name))).get("id").asString();

        ApiClient.Response blocked = owner.put("/zones/" + pending + "/activation_check", null);
        assertThat(assertSuccess(blocked).get("id").asString()).isEqualTo(pending);
        assertThat(blocked.header("Zoneplane-Revision")).isEmpty();
        assertThat(status(pending)).isEqualTo("pending");
        assertThat(status(active)).isEqualTo("active");
        // another tenant cannot even see the pending zone to check it
        assertFailure(tenant(a).put("/zones/" + pending + "/activation_check", null), 404, 1001);
        // a read-only token may not run the check
        ApiClient reader = anonymous().withToken(security().token(b, "zone:read").value());
        assertFailure(reader.put("/zones/" + pending + "/activation_check", null), 403, 10000);

        assertSuccess(tenant(a).delete("/zones/" + active));
        ApiClient.Response activated = owner.put("/client/v4/zones/" + pending + "/activation_check", null);
        assertSuccess(activated);
        long revision = Long.parseLong(activated.header("Zoneplane-Revision").orElseThrow());
        JsonNode zone = assertSuccess(owner.get("/zones/" + pending));
        assertThat(zone.get("status").asString()).isEqualTo("active");
        assertThat(zone.get("activated_on").isNull()).isFalse();
        assertThat(kind(revision)).isEqualTo("zone_upserted");
        assertThat(snapshot()).contains(pending);
        // checking an active zone changes nothing
        assertThat(owner.put("/zones/" + pending + "/activation_check", null).header("Zoneplane-Revision")).isEmpty();
    }

    @Test
    void theOperatorsActivationCheckMovesTheActiveZoneAndTheEdgeServesOnlyTheActiveOne() throws Exception {
        Fixtures fixtures = new Fixtures(api());
        String a = fixtures.account();
        String b = fixtures.account();
        String name = Fixtures.uniqueName();
        String squatter = assertSuccess(tenant(a).post("/zones", createBody(a, name))).get("id").asString();
        ApiClient.Response created = tenant(b).post("/zones", createBody(b, name));
        String owner = assertSuccess(created).get("id").asString();
        // the pending zone's creation and its setting changes are withdrawals for the edge, never upserts
        assertThat(kind(Long.parseLong(created.header("Zoneplane-Revision").orElseThrow()))).isEqualTo("zone_deleted");
        ApiClient.Response setting = tenant(b).patch("/zones/" + owner + "/settings/ip_geolocation", "{\"value\":\"off\"}");
        assertSuccess(setting);
        assertThat(kind(Long.parseLong(setting.header("Zoneplane-Revision").orElseThrow()))).isEqualTo("zone_deleted");
        assertThat(snapshot()).contains(squatter).doesNotContain(owner);

        ApiClient.Response settled = api().put("/zones/" + owner + "/activation_check", null);
        assertSuccess(settled);
        long revision = Long.parseLong(settled.header("Zoneplane-Revision").orElseThrow());
        assertThat(kind(revision - 1)).isEqualTo("zone_deleted");
        assertThat(kind(revision)).isEqualTo("zone_upserted");
        assertThat(status(owner)).isEqualTo("active");
        assertThat(status(squatter)).isEqualTo("moved");
        assertThat(snapshot()).contains(owner).doesNotContain(squatter);
        // the moved zone's owner cannot take the name back
        tenant(a).put("/zones/" + squatter + "/activation_check", null);
        assertThat(status(squatter)).isEqualTo("moved");
        assertThat(jdbc.sql("select count(*) from zones where name = :n and status = 'active'").param("n", name)
                .query(Long.class).single()).isEqualTo(1);
        // both changes are in the audit log, each in its own account
        assertThat(jdbc.sql("select count(*) from audit_log where zone_id in (:a, :b) and action = 'zone_edited'")
                .param("a", squatter).param("b", owner).query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void theDatabaseAllowsOneActiveZoneOfANameAndOneZoneOfANamePerAccount() {
        Fixtures fixtures = new Fixtures(api());
        String a = fixtures.account();
        String b = fixtures.account();
        String name = Fixtures.uniqueName();
        assertSuccess(api().post("/zones", createBody(a, name)));
        String pending = assertSuccess(api().post("/zones", createBody(b, name))).get("id").asString();
        assertThat(updateFails("update zones set status = 'active' where id = '" + pending + "'")).isTrue();
        assertThat(updateFails("insert into zones (id, account_id, name, status, activated_on) values ('"
                + "0".repeat(31) + "1', '" + a + "', '" + name + "', 'pending', null)")).isTrue();
    }

    @Test
    void concurrentCreationsOfOneNameInManyAccountsLeaveExactlyOneActiveZone() throws Exception {
        Fixtures fixtures = new Fixtures(api());
        String name = Fixtures.uniqueName();
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            accounts.add(fixtures.account());
        }
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ApiClient.Response>> answers = new ArrayList<>();
            for (String account : accounts) {
                // each account twice at once: one of the two is 400/1061
                for (int copy = 0; copy < 2; copy++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return api().post("/zones", createBody(account, name));
                    }));
                }
            }
            start.countDown();
            int active = 0;
            int pending = 0;
            int duplicates = 0;
            for (Future<ApiClient.Response> answer : answers) {
                ApiClient.Response response = answer.get(60, TimeUnit.SECONDS);
                if (response.status() == 400) {
                    assertFailure(response, 400, 1061);
                    duplicates++;
                } else if (assertSuccess(response).get("status").asString().equals("active")) {
                    active++;
                } else {
                    pending++;
                }
            }
            assertThat(active).isEqualTo(1);
            assertThat(pending).isEqualTo(11);
            assertThat(duplicates).isEqualTo(12);
        } finally {
            pool.shutdownNow();
        }
    }

    private boolean updateFails(String sql) {
        try {
            jdbc.sql(sql).update();
            return false;
        } catch (org.springframework.dao.DataIntegrityViolationException expected) {
            return true;
        }
    }

    private String status(String zoneId) {
        return assertSuccess(api().get("/zones/" + zoneId)).get("status").asString();
    }

    private String kind(long revision) {
        return jdbc.sql("select kind from change_log where revision = :r").param("r", revision).query(String.class).single();
    }

    private String snapshot() {
        try (SnapshotExporter.Export export = snapshots.open()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            export.writeTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
