package zoneplane.controlplane.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertFailure;
import static zoneplane.testing.Envelopes.assertSuccess;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.auth.SecurityFixtures;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;

/**
 * Cloudflare's list parameters of {@code GET /zones} (issue 20 item 12), one row per query, over
 * real HTTP: name operators, account filters, status, order, direction, match, paging, unknown
 * parameters (ignored) and bad values. Account A (Acme) holds alpha, beta, gamma (.test) and bücher;
 * account B (Beta) holds delta and a pending alpha of the same name as A's. Tenant rows run with A's
 * token (its scope always applies, also with {@code match=any}); operator rows filter on both
 * accounts' names so other tests' zones stay out.
 */
class ZoneListTest extends ControlPlaneIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    /** client: "A" (A's zone:read token) or "op"; expected: zone keys in order, or "400" for 400/1003. */
    private record Row(String client, String query, String expected) {}

    private final Map<String, String> ids = new HashMap<>();
    private String u;
    private String accountA;
    private String accountB;

    @TestFactory
    Stream<DynamicTest> listParameters() {
        u = "zl" + (System.nanoTime() % 1_000_000_000L);
        accountA = assertSuccess(api().post("/accounts", "{\"name\":\"Acme U-" + u + "\"}")).get("id").asString();
        accountB = assertSuccess(api().post("/accounts", "{\"name\":\"Beta U-" + u + "\"}")).get("id").asString();
        zone("alpha", accountA, "alpha." + u + ".example", "free");
        zone("beta", accountA, "beta." + u + ".example", "pro");
        zone("gamma", accountA, "gamma." + u + ".test", "business");
        zone("bucher", accountA, "bücher." + u + ".example", "free");
        zone("delta", accountB, "delta." + u + ".example", "enterprise");
        zone("alphaB", accountB, "alpha." + u + ".example", "free");
        assertThat(assertSuccess(api().get("/zones/" + ids.get("alphaB"))).get("status").asString()).isEqualTo("pending");
        ApiClient tenant = anonymous().withToken(new SecurityFixtures(api(), jdbc).token(accountA, "zone:read").value());

        List<Row> rows = rows();
        System.out.println("ZoneListTest: " + rows.size() + " rows");
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.client() + " ?" + row.query(),
                () -> check(row.client().equals("A") ? tenant : api(), row)));
    }

    private List<Row> rows() {
        String all = "alpha beta gamma bucher";
        String alpha = "alpha." + u + ".example";
        String both = "account.name=contains:u-" + u; // operator rows: A's and B's zones only
        boolean aFirst = accountA.compareTo(accountB) < 0;
        List<Row> rows = new ArrayList<>(List.of(
                new Row("A", "", all),
                new Row("A", "direction=desc", "bucher gamma beta alpha"),
                new Row("A", "direction=asc", all),
                new Row("A", "order=name", all),
                new Row("A", "order=name&direction=desc", "bucher gamma beta alpha"),
                new Row("A", "name=" + alpha, "alpha"),
                new Row("A", "name=ALPHA." + u + ".EXAMPLE", "alpha"),
                new Row("A", "name=" + alpha + ".", "alpha"),
                new Row("A", "name=equal:beta." + u + ".example", "beta"),
                new Row("A", "name=not_equal:beta." + u + ".example", "alpha gamma bucher"),
                new Row("A", "name=starts_with:a", "alpha"),
                new Row("A", "name=starts_with:A", "alpha"),
                new Row("A", "name=ends_with:.test", "gamma"),
                new Row("A", "name=ends_with:" + u + ".example", "alpha beta bucher"),
                new Row("A", "name=contains:et", "beta"),
                new Row("A", "name=contains:" + u, all),
                new Row("A", "name=contains:bücher", "bucher"),
                new Row("A", "name=contains:xn--bcher", "bucher"),
                new Row("A", "name=bücher." + u + ".example", "bucher"),
                new Row("A", "name=contains:%", ""),
                new Row("A", "name=contains:_", ""),
                new Row("A", "name=contains:a_pha", ""),
                new Row("A", "name=starts_with:", all),
                new Row("A", "name=contains:nothing-here", ""),
                new Row("A", "name=starts_with_case_sensitive:ALPHA", ""),
                new Row("A", "name=starts_with_case_sensitive:alpha", "alpha"),
                new Row("A", "name=ends_with_case_sensitive:.TEST", ""),
                new Row("A", "name=contains_case_sensitive:eta", "beta"),
                new Row("A", "name=not_equal:not a name", all),
                new Row("A", "name=equal:not a name", ""),
                new Row("A", "name=unknown_op:" + alpha, ""),
                new Row("A", "name=contains:\u0000", ""),
                new Row("A", "name=", all),
                new Row("A", "status=active", all),
                new Row("A", "status=pending", ""),
                new Row("A", "status=bogus", ""),
                new Row("A", "order=status&direction=desc", all),
                new Row("A", "order=plan.id", "alpha bucher beta gamma"),
                new Row("A", "order=plan.id&direction=desc", "gamma beta alpha bucher"),
                new Row("A", "match=any&name=" + alpha + "&status=bogus", "alpha"),
                new Row("A", "match=all&name=" + alpha + "&status=bogus", ""),
                new Row("A", "match=any&name=starts_with:beta&account.id=" + accountB, "beta"),
                new Row("A", "match=any&name=ends_with:.test&status=pending", "gamma"),
                new Row("A", "match=any", all),
                new Row("A", "match=all&name=contains:ph&status=active", "alpha"),
                new Row("A", "match=any&account.name=equal:Nobody&name=contains:amm", "gamma"),
                new Row("A", "per_page=2&page=2", "gamma bucher"),
                new Row("A", "per_page=1&page=3&direction=desc", "beta"),
                new Row("A", "unknown=1&foo.bar=baz&name.x=y", all),
                new Row("A", "account.id=" + accountA, all),
                new Row("A", "account.id=" + accountB, ""),
                new Row("A", "account.id=not-an-id", ""),
                new Row("A", "account.name=Acme U-" + u, all),
                new Row("A", "account.name=acme u-" + u, all),
                new Row("A", "account.name=starts_with:acme", all),
                new Row("A", "account.name=contains_case_sensitive:acme", ""),
                new Row("A", "account.name=not_equal:Acme U-" + u, ""),
                new Row("A", "account.name=\u0000", ""),
                new Row("A", "order=bogus", "400"),
                new Row("A", "order=NAME", "400"),
                new Row("A", "direction=sideways", "400"),
                new Row("A", "direction=DESC", "400"),
                new Row("A", "match=some", "400"),
                new Row("op", both + "&order=account.name", "alpha beta gamma bucher alphaB delta"),
                new Row("op", both + "&order=account.name&direction=desc", "alphaB delta alpha beta gamma bucher"),
                new Row("op", both + "&name=" + alpha + "&order=account.name", "alpha alphaB"),
                new Row("op", both + "&status=pending", "alphaB"),
                new Row("op", both + "&order=status", "alpha beta delta gamma bucher alphaB"),
                new Row("op", both + "&order=status&direction=desc", "alphaB alpha beta delta gamma bucher"),
                new Row("op", both + "&account.id=" + accountB, "alphaB delta"),
                new Row("op", both + "&status=active&order=plan.id&direction=desc", "delta gamma beta alpha bucher"),
                new Row("op", both + "&name=ends_with:.test", "gamma"),
                new Row("op", both + "&name=starts_with:delta&order=account.id", "delta"),
                new Row("op", both + "&status=active&order=account.id",
                        aFirst ? "alpha beta gamma bucher delta" : "delta alpha beta gamma bucher"),
                new Row("op", both + "&status=active&order=account.id&direction=desc",
                        aFirst ? "delta alpha beta gamma bucher" : "alpha beta gamma bucher delta")));
        return rows;
    }

    private void check(ApiClient client, Row row) {
        ApiClient.Response response = client.get("/client/v4/zones?" + encode(row.query()));
        if (row.expected().equals("400")) {
            assertFailure(response, 400, 1003);
            return;
        }
        JsonNode result = assertSuccess(response);
        List<String> expected = row.expected().isEmpty() ? List.of()
                : Arrays.stream(row.expected().split(" ")).map(ids::get).toList();
        List<String> got = new ArrayList<>();
        result.forEach(zone -> got.add(zone.get("id").asString()));
        assertThat(got).as(response.toString() + "\nexpected " + row.expected() + " = " + expected).isEqualTo(expected);
        if (!row.query().contains("per_page")) {
            assertThat(response.json().get("result_info").get("total_count").asLong()).isEqualTo(expected.size());
        }
    }

    private void zone(String key, String account, String name, String plan) {
        ids.put(key, assertSuccess(api().post("/zones", "{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + name
                + "\",\"plan\":\"" + plan + "\"}")).get("id").asString());
    }

    /** Each value percent-encoded (UTF-8, spaces as %20), the separators kept. */
    private static String encode(String query) {
        if (query.isEmpty()) {
            return "";
        }
        return Arrays.stream(query.split("&")).map(pair -> {
            int eq = pair.indexOf('=');
            return eq < 0 ? pair : pair.substring(0, eq + 1)
                    + URLEncoder.encode(pair.substring(eq + 1), StandardCharsets.UTF_8).replace("+", "%20");
        }).collect(Collectors.joining("&"));
    }
}
