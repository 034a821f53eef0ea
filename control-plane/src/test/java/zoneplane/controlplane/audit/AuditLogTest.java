package zoneplane.controlplane.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.auth.SecurityFixtures;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;

class AuditLogTest extends ControlPlaneIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AuditTrail trail;

    @Autowired
    TransactionTemplate transactions;

    SecurityFixtures fixtures;
    String account;

    @BeforeEach
    void setUp() {
        fixtures = new SecurityFixtures(api(), jdbc);
        account = fixtures.account();
    }

    JsonNode entries(ApiClient client, String query) {
        ApiClient.Response answer = client.get("/accounts/" + account + "/audit_logs" + query);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.result();
    }

    @Test
    void tokenCreationAndRevocationAreAuditedWithActorRequestIdAndAddress() {
        SecurityFixtures.Issued admin = fixtures.token(account, "account:admin");
        ApiClient asAdmin = anonymous().withToken(admin.value()).withHeader("X-Request-Id", "req-audit-1");
        String minted = asAdmin.post("/accounts/" + account + "/tokens", "{\"name\":\"ci\",\"permissions\":[\"zone:read\"]}")
                .result().get("id").asString();
        asAdmin.withHeader("X-Request-Id", "req-audit-2").delete("/accounts/" + account + "/tokens/" + minted);

        JsonNode log = entries(asAdmin, "");
        assertThat(log.size()).isEqualTo(3);
        JsonNode revoked = log.get(0);
        assertThat(revoked.get("action").asString()).isEqualTo("token_revoked");
        assertThat(revoked.get("actor").get("type").asString()).isEqualTo("token");
        assertThat(revoked.get("actor").get("id").asString()).isEqualTo(admin.id());
        assertThat(revoked.get("actor").get("name").asString()).isEqualTo("test token");
        assertThat(revoked.get("actor").get("ip").asString()).isEqualTo("127.0.0.1");
        assertThat(revoked.get("request_id").asString()).isEqualTo("req-audit-2");
        assertThat(revoked.get("old_value").get("revoked_on").isNull()).isTrue();
        assertThat(revoked.get("new_value").get("revoked_on").asString()).isNotEmpty();

        JsonNode created = log.get(1);
        assertThat(created.get("action").asString()).isEqualTo("token_created");
        assertThat(created.get("request_id").asString()).isEqualTo("req-audit-1");
        assertThat(created.get("old_value").isNull()).isTrue();
        assertThat(created.get("new_value").get("id").asString()).isEqualTo(minted);
        assertThat(created.toString()).doesNotContain("zpt_");

        JsonNode byOperator = log.get(2);
        assertThat(byOperator.get("actor").get("type").asString()).isEqualTo("operator");
        assertThat(byOperator.get("actor").has("id")).isFalse();
        assertThat(byOperator.get("actor").has("name")).isFalse();
        assertThat(Long.parseLong(log.get(0).get("id").asString())).isGreaterThan(Long.parseLong(log.get(1).get("id").asString()));
    }

    @Test
    void filtersAndPagingNarrowTheLogNewestFirst() {
        String zone = fixtures.zone(account);
        Instant start = jdbc.sql("select now()").query(java.time.OffsetDateTime.class).single().toInstant();
        transactions.executeWithoutResult(status -> {
            trail.record(AuditEvent.of(account, AuditAction.ZONE_SETTING_EDITED).zone(zone).setting("ipv6").values("on", "off").revision(7));
        });
        transactions.executeWithoutResult(status -> {
            trail.record(AuditEvent.of(account, AuditAction.ZONE_SETTING_EDITED).zone(zone).setting("max_upload").values(100, 200).revision(8));
        });
        fixtures.token(account, "zone:read");

        assertThat(entries(api(), "").size()).isEqualTo(3);
        JsonNode zoneOnly = entries(api(), "?zone_id=" + zone);
        assertThat(zoneOnly.size()).isEqualTo(2);
        assertThat(zoneOnly.get(0).get("setting_id").asString()).isEqualTo("max_upload");
        assertThat(zoneOnly.get(0).get("new_value").asInt()).isEqualTo(200);
        assertThat(zoneOnly.get(0).get("revision").asLong()).isEqualTo(8);
        assertThat(zoneOnly.get(0).get("actor").get("type").asString()).isEqualTo("system");
        JsonNode ipv6 = entries(api(), "?setting=ipv6");
        assertThat(ipv6.size()).isEqualTo(1);
        assertThat(ipv6.get(0).get("old_value").asString()).isEqualTo("on");
        assertThat(entries(api(), "?since=" + start.minusSeconds(3600) + "&before=" + start.minusSeconds(1)).size()).isZero();
        assertThat(entries(api(), "?since=" + start).size()).isEqualTo(3);

        ApiClient.Response page = api().get("/accounts/" + account + "/audit_logs?per_page=2&page=2");
        assertThat(page.result().size()).isEqualTo(1);
        assertThat(page.json().get("result_info").get("total_count").asInt()).isEqualTo(3);
        assertThat(page.json().get("result_info").get("total_pages").asInt()).isEqualTo(2);
        assertThat(page.result().get(0).get("action").asString()).isEqualTo("zone_setting_edited");
        assertThat(page.result().get(0).get("setting_id").asString()).isEqualTo("ipv6");
    }

    @Test
    void invalidFiltersAndUnknownParametersAreRefusedWith400() {
        for (String query : new String[] {"?zone_id=xyz", "?setting=DROP%20TABLE", "?since=yesterday", "?before=1",
                "?per_page=0", "?page=-1", "?per_page=51", "?zone=abc", "?zone_id=a&zone_id=b"}) {
            ApiClient.Response refused = api().get("/accounts/" + account + "/audit_logs" + query);
            assertThat(refused.status()).as(query + " " + refused).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo(1003);
        }
    }

    @Test
    void anotherAccountsLogIsNotFoundAndZonePermissionsDoNotReadIt() {
        String other = fixtures.account();
        fixtures.token(other, "zone:read");
        ApiClient theirAdmin = anonymous().withToken(fixtures.token(other, "account:admin").value());
        assertThat(theirAdmin.get("/accounts/" + account + "/audit_logs").status()).isEqualTo(404);
        ApiClient ourReader = anonymous().withToken(fixtures.token(account, "zone:read", "zone_settings:edit").value());
        ApiClient.Response forbidden = ourReader.get("/accounts/" + account + "/audit_logs");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.errorCode()).isEqualTo(10000);
    }

    @Test
    void theDatabaseRefusesToUpdateDeleteOrTruncateAuditRows() {
        fixtures.token(account, "zone:read");
        String before = fixtures.fingerprint();
        assertThatThrownBy(() -> jdbc.sql("update audit_log set action = 'forged' where account_id = :a").param("a", account).update())
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("delete from audit_log where account_id = :a").param("a", account).update())
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("truncate audit_log").update())
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThat(fixtures.fingerprint()).isEqualTo(before);
    }

    @Test
    void noEndpointEditsOrDeletesAuditEntries() {
        fixtures.token(account, "zone:read");
        String id = entries(api(), "").get(0).get("id").asString();
        String before = fixtures.fingerprint();
        assertThat(api().delete("/accounts/" + account + "/audit_logs").status()).isEqualTo(405);
        assertThat(api().delete("/accounts/" + account + "/audit_logs/" + id).status()).isIn(404, 405);
        assertThat(api().patch("/accounts/" + account + "/audit_logs/" + id, "{\"action\":\"x\"}").status()).isIn(404, 405);
        assertThat(api().put("/accounts/" + account + "/audit_logs", "{}").status()).isEqualTo(405);
        assertThat(fixtures.fingerprint()).isEqualTo(before);
    }

    @Test
    void recordingOutsideATransactionIsRefusedSoNoChangeGoesUnaudited() {
        assertThatThrownBy(() -> trail.record(AuditEvent.of(account, AuditAction.ZONE_EDITED)))
                .isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    void anAuditRowRollsBackWithTheChangeItDescribes() {
        String before = fixtures.fingerprint();
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            trail.record(AuditEvent.of(account, AuditAction.ZONE_EDITED).values("a", "b"));
            throw new IllegalStateException("the change failed");
        })).hasMessage("the change failed");
        assertThat(fixtures.fingerprint()).isEqualTo(before);
    }
}
