package zoneplane.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;

/**
 * Seeded fuzzing over real HTTP: thousands of malicious or malformed requests (random and hostile
 * JSON bodies, huge and odd strings, SQL, unicode, wrong types, deep nesting, odd path parameters,
 * query strings, methods and content types) sent as the most powerful callers. Every request is
 * invalid by construction, so the contract is: never a 5xx, always the error envelope, and nothing
 * in the database changes. Bounded in count and time; the seed is printed so a failure replays.
 */
class ApiFuzzTest extends ControlPlaneIntegrationTest {

    static final long SEED = Long.getLong("zoneplane.fuzz.seed", 20261125L);
    static final int CASES = Integer.getInteger("zoneplane.fuzz.cases", 3000);
    static final Duration BUDGET = Duration.ofSeconds(150);

    /** One fuzz case: a description (for the failure message) and the request. */
    record Case(String description, String method, String path, String body, String contentType) {}

    @Autowired
    JdbcClient jdbc;

    Random random;
    String account;
    List<String> knownTokenIds;

    @Test
    void hostileRequestsNeverAnswer5xxAndNeverChangeAnything() {
        SecurityFixtures fixtures = new SecurityFixtures(api(), jdbc);
        account = fixtures.account();
        String zone = new zoneplane.testing.Fixtures(api()).zone(account,
                zoneplane.testing.Fixtures.uniqueName(), "business").get("id").asString();
        knownTokenIds = List.of(fixtures.token(account, "zone:read").id(), fixtures.token(account, "account:admin").id());
        ApiClient admin = anonymous().withToken(fixtures.token(account, "account:admin").value());
        ApiClient editor = anonymous().withToken(fixtures.token(account, "zone:edit", "zone_settings:edit").value());
        List<ApiClient> callers = List.of(api(), admin, editor);
        List<Function<Random, Case>> generators = generators(zone);
        random = new Random(SEED);
        String before = fixtures.fingerprint();
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int sent = 0;
        for (; sent < CASES && System.nanoTime() < deadline; sent++) {
            Case c = generators.get(random.nextInt(generators.size())).apply(random);
            ApiClient caller = callers.get(random.nextInt(callers.size()));
            ApiClient.Response response = caller.send(c.method(), c.path(), c.body(), c.contentType());
            String context = "seed " + SEED + " case " + sent + ": " + c.description() + " " + c.method() + " "
                    + abbreviate(c.path()) + " body " + abbreviate(c.body()) + " -> " + abbreviate(response.toString());
            assertThat(response.status()).as(context).isLessThan(500);
            assertThat(response.body()).as(context).startsWith("{");
            if (!c.method().equals("GET") || response.status() != 200) {
                // a hostile list filter may match nothing (200, empty); every other case is refused
                assertThat(response.status()).as(context).isBetween(400, 499);
                assertThat(response.json().get("success").asBoolean()).as(context).isFalse();
            }
            assertThat(response.body()).as(context).doesNotContain("Exception").doesNotContain("zoneplane.controlplane")
                    .doesNotContain("SQL").doesNotContain("org.postgresql");
            if (sent % 500 == 499) {
                assertThat(fixtures.fingerprint()).as("after " + context).isEqualTo(before);
            }
        }
        System.out.println("ApiFuzzTest: " + sent + " cases, seed " + SEED);
        assertThat(sent).as("cases sent within the time budget").isGreaterThanOrEqualTo(Math.min(CASES, 500));
        assertThat(fixtures.fingerprint()).isEqualTo(before);
    }

    /** The request shapes fuzzed; each is invalid whatever the random draw. */
    List<Function<Random, Case>> generators(String zone) {
        List<Function<Random, Case>> generators = new ArrayList<>();
        String tokens = "/accounts/" + account + "/tokens";
        generators.add(r -> new Case("token body", "POST", tokens, Hostile.invalidTokenBody(r, zone), "application/json"));
        generators.add(r -> new Case("random json", "POST", tokens, Hostile.randomJson(r, 0), "application/json"));
        generators.add(r -> new Case("token path", r.nextBoolean() ? "GET" : "DELETE",
                "/accounts/" + pathParam(r, account) + "/tokens/" + pathParam(r, null), null, null));
        generators.add(r -> new Case("audit query", "GET", "/accounts/" + account + "/audit_logs?" + Hostile.invalidAuditQuery(r), null, null));
        generators.add(r -> new Case("audit account", "GET", "/accounts/" + pathParam(r, null) + "/audit_logs", null, null));
        generators.add(r -> new Case("wrong method", Hostile.pick(r, "PUT", "PATCH", "DELETE"), Hostile.pick(r, tokens,
                "/accounts/" + account + "/audit_logs", "/user/tokens/verify"), "{}", "application/json"));
        generators.add(r -> new Case("wrong content type", "POST", tokens, "{\"name\":\"x\",\"permissions\":[\"zone:read\"]}",
                Hostile.pick(r, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")));
        String zonePath = "/zones/" + zone;
        generators.add(r -> new Case("zone body", "POST", "/zones", Hostile.invalidZoneBody(r, account), "application/json"));
        generators.add(r -> new Case("zone edit", "PATCH", zonePath, Hostile.invalidZoneEdit(r), "application/json"));
        generators.add(r -> new Case("zone random json", r.nextBoolean() ? "POST" : "PATCH", r.nextBoolean() ? "/zones" : zonePath,
                Hostile.randomJson(r, 0), "application/json"));
        generators.add(r -> new Case("setting value", "PATCH", zonePath + "/settings/" + Hostile.pick(r, "websockets", "ipv6",
                "max_upload", "pseudo_ipv4", "grpc"), "{\"value\":" + Hostile.invalidSettingValue(r) + "}", "application/json"));
        generators.add(r -> new Case("setting id", "PATCH", zonePath + "/settings/" + pathParam(r, null), "{\"value\":\"off\"}",
                "application/json"));
        generators.add(r -> new Case("setting body", "PATCH", zonePath + "/settings/websockets", Hostile.randomJson(r, 0),
                "application/json"));
        generators.add(r -> new Case("bulk settings", "PATCH", zonePath + "/settings", Hostile.invalidBulk(r), "application/json"));
        generators.add(r -> new Case("zone path", Hostile.pick(r, "GET", "PATCH", "DELETE"), "/zones/" + pathParam(r, null)
                + Hostile.pick(r, "", "/settings", "/settings/ipv6", "/dns_records", "/propagation"), "{\"paused\":true}", "application/json"));
        generators.add(r -> new Case("zone list", "GET", "/zones?" + Hostile.pick(r, "name", "account.id", "status", "page", "per_page")
                + "=" + java.net.URLEncoder.encode(Hostile.string(r, 200), StandardCharsets.UTF_8), null, null));
        generators.add(r -> new Case("account body", "POST", "/accounts", Hostile.invalidAccountBody(r), "application/json"));
        generators.add(r -> new Case("account path", "GET", "/accounts/" + pathParam(r, null), null, null));
        generators.add(r -> new Case("too large", "POST", tokens, "{\"name\":\"" + "x".repeat(70_000 + r.nextInt(10_000)) + "\"}",
                "application/json"));
        return generators;
    }

    /** A path segment that names nothing: hostile text, or an id that exists nowhere (never a known token id). */
    String pathParam(Random r, String keepSometimes) {
        if (keepSometimes != null && r.nextInt(3) == 0) {
            return keepSometimes;
        }
        String raw;
        do {
            raw = r.nextBoolean() ? Hostile.string(r, 300) : SecurityFixtures.newId();
        } while (raw.isEmpty() || knownTokenIds.contains(raw));
        return URLEncoder.encode(raw, StandardCharsets.UTF_8);
    }

    static String abbreviate(String text) {
        return text == null ? "null" : text.length() > 300 ? text.substring(0, 300) + "…(" + text.length() + ")" : text;
    }
}
