package zoneplane.controlplane.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.controlplane.analytics.UsageClient.group;
import static zoneplane.controlplane.analytics.UsageClient.minute;
import static zoneplane.controlplane.analytics.UsageClient.visitors;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import zoneplane.testing.ApiClient;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.Envelopes;
import zoneplane.testing.Fixtures;
import zoneplane.model.wire.UsageReport;
import zoneplane.model.wire.UsageReport.WebSocketMinute;

/**
 * Usage reports from two nodes for two tenants' zones, posted over real HTTP (gzip, node token) into
 * real PostgreSQL, then read back through the GraphQL Analytics API with exact numbers: sums over
 * nodes, union of the nodes' uniques sketches, retries not counted twice, tenancy, rollups, and
 * queries copied from Cloudflare's GraphQL documentation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = "zoneplane.node-token=" + AnalyticsApiTest.NODE_TOKEN)
class AnalyticsApiTest extends ControlPlaneIntegrationTest {

    static final String NODE_TOKEN = "analytics-node-token-7d1e2f";

    static final String MINUTE_GROUPS = """
            query ($zone: string!, $from: Time!, $to: Time!) { viewer { zones(filter: {zoneTag: $zone}) { zoneTag
              httpRequests1mGroups(limit: 100, filter: {datetime_geq: $from, datetime_lt: $to}, orderBy: [datetimeMinute_ASC]) {
                dimensions { datetimeMinute }
                sum { requests bytes encryptedRequests encryptedBytes cachedRequests pageViews threats
                      countryMap { clientCountryName requests bytes } responseStatusMap { edgeResponseStatus requests }
                      clientHTTPVersionMap { clientHTTPProtocol requests } browserMap { uaBrowserFamily pageViews } }
                uniq { uniques } } } } }""";

    @Autowired
    RollupJob rollups;
    @Autowired
    AnalyticsPartitions partitions;

    UsageClient client;
    String accountX;
    String zoneA;
    String zoneA2;
    String zoneB;
    String tokenX;
    String tokenY;
    Instant hour;
    Instant m0;
    Instant m1;
    UsageReport node1;

    @BeforeAll
    void ship() {
        client = new UsageClient(port, NODE_TOKEN);
        Fixtures fixtures = new Fixtures(api());
        accountX = fixtures.account();
        zoneA = fixtures.zone(accountX, Fixtures.uniqueName(), "free").get("id").asString();
        zoneA2 = fixtures.zone(accountX, Fixtures.uniqueName(), "free").get("id").asString();
        String accountY = fixtures.account();
        zoneB = fixtures.zone(accountY, Fixtures.uniqueName(), "pro").get("id").asString();
        tokenX = token(accountX, "[\"analytics:read\"]", null);
        tokenY = token(accountY, "[\"analytics:read\"]", null);

        hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        m0 = hour.plus(10, ChronoUnit.MINUTES);
        m1 = hour.plus(11, ChronoUnit.MINUTES);
        node1 = new UsageReport("edge-1", List.of(
                minute(zoneA, m0, visitors("192.0.2.1", "192.0.2.2", "192.0.2.3"),
                        new WebSocketMinute(1, 0, 0, 1, 30, 0, 500, 40),
                        group("US", 200, "HTTP/1.1", "TLSv1.3", 10, 1000), group("DE", 404, "HTTP/2", "none", 2, 50)),
                minute(zoneA, m1, visitors("192.0.2.1"), WebSocketMinute.NONE, group("US", 200, "HTTP/2", "TLSv1.3", 3, 300)),
                minute(zoneB, m0, visitors("198.51.100.9"), WebSocketMinute.NONE, group("FR", 200, "HTTP/1.1", "TLSv1.2", 7, 777)),
                minute("0123456789abcdef0123456789abcdef", m0, new byte[0], WebSocketMinute.NONE,
                        group("US", 200, "HTTP/1.1", "none", 1, 1))));
        UsageReport node2 = new UsageReport("edge-2", List.of(
                minute(zoneA, m0, visitors("192.0.2.3", "192.0.2.4"), new WebSocketMinute(2, 1, 1, 2, 90, 2, 100, 10),
                        group("US", 200, "HTTP/1.1", "TLSv1.3", 5, 700))));
        UsageClient.Answer first = client.post("edge-1", node1);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("result").toString())
                .isEqualTo("{\"stored\":3,\"duplicates\":0,\"dropped_unknown_zone\":1,\"dropped_out_of_range\":0}");
        assertThat(client.post("edge-2", node2).status()).isEqualTo(200);
    }

    private String token(String account, String permissions, String zones) {
        ApiClient.Response created = api().post("/accounts/" + account + "/tokens", "{\"name\":\"analytics\",\"permissions\":"
                + permissions + (zones == null ? "" : ",\"zones\":" + zones) + "}");
        return Envelopes.assertSuccess(created).get("value").asString();
    }

    private JsonNode minuteGroups(String token, String zone) {
        UsageClient.Answer answer = client.graphql(token, MINUTE_GROUPS,
                Map.of("zone", zone, "from", hour.toString(), "to", hour.plus(1, ChronoUnit.HOURS).toString()));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.has("errors")).as(answer.body()).isFalse();
        return json.get("data").get("viewer").get("zones");
    }

    @Test
    void minuteGroupsSumTheNodesAndUnionTheirUniques() {
        JsonNode zones = minuteGroups(tokenX, zoneA);
        assertThat(zones).hasSize(1);
        assertThat(zones.get(0).get("zoneTag").asString()).isEqualTo(zoneA);
        JsonNode groups = zones.get(0).get("httpRequests1mGroups");
        assertThat(groups).hasSize(2);
        JsonNode first = groups.get(0);
        assertThat(first.get("dimensions").get("datetimeMinute").asString()).isEqualTo(m0.toString());
        JsonNode sum = first.get("sum");
        assertThat(sum.get("requests").asLong()).isEqualTo(17);
        assertThat(sum.get("bytes").asLong()).isEqualTo(1750);
        assertThat(sum.get("encryptedRequests").asLong()).isEqualTo(15);
        assertThat(sum.get("encryptedBytes").asLong()).isEqualTo(1700);
        assertThat(sum.get("cachedRequests").asLong()).isZero();
        assertThat(sum.get("pageViews").asLong()).isZero();
        assertThat(sum.get("threats").asLong()).isZero();
        assertThat(sum.get("browserMap")).isEmpty();
        assertThat(sum.get("countryMap").toString()).isEqualTo(
                "[{\"clientCountryName\":\"DE\",\"requests\":2,\"bytes\":50},{\"clientCountryName\":\"US\",\"requests\":15,\"bytes\":1700}]");
        assertThat(sum.get("responseStatusMap").toString()).isEqualTo(
                "[{\"edgeResponseStatus\":200,\"requests\":15},{\"edgeResponseStatus\":404,\"requests\":2}]");
        assertThat(sum.get("clientHTTPVersionMap").toString()).isEqualTo(
                "[{\"clientHTTPProtocol\":\"HTTP/1.1\",\"requests\":15},{\"clientHTTPProtocol\":\"HTTP/2\",\"requests\":2}]");
        // 192.0.2.3 reached both nodes: four visitors, not five
        assertThat(first.get("uniq").get("uniques").asLong()).isEqualTo(4);
        JsonNode second = groups.get(1);
        assertThat(second.get("dimensions").get("datetimeMinute").asString()).isEqualTo(m1.toString());
        assertThat(second.get("sum").get("requests").asLong()).isEqualTo(3);
        assertThat(second.get("uniq").get("uniques").asLong()).isEqualTo(1);
    }

    @Test
    void aRetriedReportIsNotCountedTwice() {
        UsageClient.Answer retry = client.post("edge-1", node1);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.json().get("result").get("stored").asInt()).isZero();
        assertThat(retry.json().get("result").get("duplicates").asInt()).isEqualTo(3);
        assertThat(minuteGroups(tokenX, zoneA).get(0).get("httpRequests1mGroups").get(0).get("sum").get("requests").asLong())
                .isEqualTo(17);
    }

    /** A zone in an account of its own, and an analytics:read token of it (the usage test sums account X). */
    private record OwnZone(String account, String zone, String reader) {}

    private OwnZone ownZone() {
        Fixtures fixtures = new Fixtures(api());
        String account = fixtures.account();
        return new OwnZone(account, fixtures.zone(account, Fixtures.uniqueName(), "free").get("id").asString(),
                token(account, "[\"analytics:read\"]", null));
    }

    @Test
    void twoInstancesOfANodeCountTheirPartsOfOneMinuteWhileARetryOfEitherStoresOnce() {
        OwnZone own = ownZone();
        String account = own.account(), zone = own.zone(), reader = own.reader();
        // the process that stopped flushed the minute's first part; the one that started ships the rest
        UsageReport before = new UsageReport("edge-1", "instance-before", List.of(minute(zone, m0, visitors("192.0.2.1"),
                WebSocketMinute.NONE, group("US", 200, "HTTP/1.1", "none", 4, 400))));
        UsageReport after = new UsageReport("edge-1", "instance-after", List.of(minute(zone, m0, visitors("192.0.2.2"),
                WebSocketMinute.NONE, group("US", 200, "HTTP/1.1", "none", 6, 600))));
        assertThat(client.post("edge-1", before).json().get("result").get("stored").asInt()).isEqualTo(1);
        assertThat(client.post("edge-1", after).json().get("result").get("stored").asInt()).isEqualTo(1);
        for (UsageReport retry : List.of(before, after)) {
            UsageClient.Answer again = client.post("edge-1", retry);
            assertThat(again.status()).as(again.body()).isEqualTo(200);
            assertThat(again.json().get("result").get("duplicates").asInt()).isEqualTo(1);
        }
        JsonNode sum = minuteGroups(reader, zone).get(0).get("httpRequests1mGroups").get(0).get("sum");
        assertThat(sum.get("requests").asLong()).isEqualTo(10);
        assertThat(sum.get("bytes").asLong()).isEqualTo(1000);
    }

    @Test
    void aReportOfThreeThousandZonesPassesTheApiBodyCapWhichEveryOtherEndpointKeeps() {
        OwnZone own = ownZone();
        String account = own.account(), zone = own.zone(), reader = own.reader();
        List<UsageReport.ZoneMinute> minutes = new java.util.ArrayList<>();
        minutes.add(minute(zone, m0, visitors("192.0.2.7"), WebSocketMinute.NONE, group("US", 200, "HTTP/2", "none", 3, 30)));
        java.util.Random random = new java.util.Random(22);
        for (int i = 1; i < 3000; i++) {
            // zones unknown to this control plane (dropped and counted): what matters is the size of the body
            String unknown = String.format("%016x%016x", random.nextLong(), random.nextLong());
            minutes.add(minute(unknown, m0, visitors("198.51.100." + (i % 250), "203.0.113." + (i % 199)),
                    WebSocketMinute.NONE, group("US", 200, "HTTP/1.1", "TLSv1.3", i, i * 10L),
                    group("DE", 404, "HTTP/2", "none", 1, 10)));
        }
        UsageReport report = new UsageReport("edge-1", "big", minutes);
        byte[] body = UsageClient.gzip(report.toJson().getBytes(StandardCharsets.UTF_8));
        assertThat(body.length).as("above zoneplane.api.max-body-size (64 KB)").isGreaterThan(64 * 1024);
        UsageClient.Answer stored = client.postRaw("edge-1", body, "gzip", NODE_TOKEN);
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(stored.json().get("result").toString())
                .isEqualTo("{\"stored\":1,\"duplicates\":0,\"dropped_unknown_zone\":2999,\"dropped_out_of_range\":0}");
        assertThat(minuteGroups(reader, zone).get(0).get("httpRequests1mGroups").get(0).get("sum").get("requests").asLong())
                .isEqualTo(3);
        // every other endpoint keeps the API's cap
        assertThat(api().post("/accounts/" + account + "/tokens", "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}").status())
                .isEqualTo(413);
    }

    @Test
    void anotherTenantsZoneIsAbsentExactlyLikeAZoneThatDoesNotExist() {
        assertThat(minuteGroups(tokenY, zoneA)).isEmpty();
        assertThat(minuteGroups(tokenY, "fedcba9876543210fedcba9876543210")).isEmpty();
        JsonNode own = minuteGroups(tokenY, zoneB);
        assertThat(own.get(0).get("httpRequests1mGroups").get(0).get("sum").get("requests").asLong()).isEqualTo(7);
        // zoneTag_in naming both tenants' zones answers only the caller's
        UsageClient.Answer both = client.graphql(tokenY, """
                query ($zones: [string!]) { viewer { zones(filter: {zoneTag_in: $zones}) { zoneTag } } }""",
                Map.of("zones", List.of(zoneA, zoneB)));
        assertThat(both.json().get("data").get("viewer").get("zones").toString()).isEqualTo("[{\"zoneTag\":\"" + zoneB + "\"}]");
        // the operator sees every zone
        assertThat(minuteGroups(OPERATOR_TOKEN, zoneA)).hasSize(1);
    }

    @Test
    void aZoneScopedTokenSeesOnlyItsZones() {
        String scoped = token(accountX, "[\"analytics:read\"]", "[\"" + zoneA2 + "\"]");
        assertThat(minuteGroups(scoped, zoneA)).isEmpty();
        assertThat(minuteGroups(scoped, zoneA2)).hasSize(1);
    }

    @Test
    void aTokenWithoutAnalyticsReadGetsAnErrorInGraphQlShape() {
        String noAnalytics = token(accountX, "[\"zone:read\"]", null);
        UsageClient.Answer answer = client.graphql(noAnalytics, MINUTE_GROUPS,
                Map.of("zone", zoneA, "from", hour.toString(), "to", hour.plus(1, ChronoUnit.HOURS).toString()));
        JsonNode json = answer.json();
        JsonNode error = json.get("errors").get(0);
        assertThat(error.get("message").asString()).contains("analytics:read");
        assertThat(error.get("path").toString()).isEqualTo("[\"viewer\",\"zones\"]");
        assertThat(error.get("extensions").get("code").asString()).isEqualTo("FORBIDDEN");
        assertThat(error.get("extensions").get("timestamp").asString()).isNotBlank();
        assertThat(json.get("data").get("viewer").isNull()).isTrue();
    }

    @Test
    void webSocketGroupsSumTheNodesAndPeakIsTheSummedPeak() {
        UsageClient.Answer answer = client.graphql(tokenX, """
                query ($zone: String!, $from: Time!, $to: Time!) { viewer { zones(filter: {zoneTag: $zone}) {
                  zoneplaneWebSockets1mGroups(limit: 10, filter: {datetime_geq: $from, datetime_lt: $to}, orderBy: [datetimeMinute_ASC]) {
                    dimensions { datetimeMinute }
                    sum { connectionsOpened connectionsClosed abnormalCloses connectionSeconds billableMinutes bytesToClient bytesToOrigin }
                    max { concurrentConnections } } } } }""",
                Map.of("zone", zoneA, "from", m0.toString(), "to", m0.plus(1, ChronoUnit.MINUTES).toString()));
        JsonNode group = answer.json().get("data").get("viewer").get("zones").get(0).get("zoneplaneWebSockets1mGroups").get(0);
        assertThat(group.get("sum").toString()).isEqualTo("{\"connectionsOpened\":3,\"connectionsClosed\":2,\"abnormalCloses\":1,"
                + "\"connectionSeconds\":120,\"billableMinutes\":2,\"bytesToClient\":600,\"bytesToOrigin\":50}");
        assertThat(group.get("max").get("concurrentConnections").asLong()).isEqualTo(3);
    }

    @Test
    void fifteenMinuteGroupsSumTheirMinutesInSqlOnlyWhenTheFilterSaysNoMoreThanTheRange() {
        String query = """
                query ($zone: string, $from: Time, $to: Time, $m1: Time) { viewer { zones(filter: {zoneTag: $zone}) {
                  all: httpRequests1mGroups(limit: 10, filter: {datetime_geq: $from, datetime_lt: $to},
                      orderBy: [datetimeFifteenMinutes_ASC]) {
                    dimensions { datetimeFifteenMinutes datetimeHour } sum { requests bytes countryMap { clientCountryName requests } }
                    uniq { uniques } }
                  fromMidBucket: httpRequests1mGroups(limit: 10, filter: {datetime_geq: $m1, datetime_lt: $to}) {
                    dimensions { datetimeFifteenMinutes } sum { requests } uniq { uniques } }
                  withoutM1: httpRequests1mGroups(limit: 10, filter: {datetime_geq: $from, datetime_lt: $to, datetime_neq: $m1}) {
                    dimensions { datetimeFifteenMinutes } sum { requests } uniq { uniques } }
                  noDimensions: httpRequests1mGroups(limit: 10, filter: {datetime_geq: $from, datetime_lt: $to}) {
                    sum { requests bytes } uniq { uniques } } } } }""";
        UsageClient.Answer answer = client.graphql(tokenX, query, Map.of("zone", zoneA, "from", hour.toString(),
                "to", hour.plus(1, ChronoUnit.HOURS).toString(), "m1", m1.toString()));
        assertThat(answer.json().has("errors")).as(answer.body()).isFalse();
        JsonNode zone = answer.json().get("data").get("viewer").get("zones").get(0);
        // m0 and m1 (:10 and :11) share the hour's first quarter: one group, the sum of both minutes
        assertThat(zone.get("all")).hasSize(1);
        JsonNode quarter = zone.get("all").get(0);
        assertThat(quarter.get("dimensions").toString())
                .isEqualTo("{\"datetimeFifteenMinutes\":\"" + hour + "\",\"datetimeHour\":\"" + hour + "\"}");
        assertThat(quarter.get("sum").get("requests").asLong()).isEqualTo(20);
        assertThat(quarter.get("sum").get("bytes").asLong()).isEqualTo(2050);
        assertThat(quarter.get("sum").get("countryMap").toString())
                .isEqualTo("[{\"clientCountryName\":\"DE\",\"requests\":2},{\"clientCountryName\":\"US\",\"requests\":18}]");
        assertThat(quarter.get("uniq").get("uniques").asLong()).isEqualTo(4);
        // a range starting inside the quarter keeps only its minutes, under the quarter's start
        assertThat(zone.get("fromMidBucket").toString()).isEqualTo(
                "[{\"dimensions\":{\"datetimeFifteenMinutes\":\"" + hour + "\"},\"sum\":{\"requests\":3},\"uniq\":{\"uniques\":1}}]");
        // a filter that drops a minute inside the range is applied minute by minute
        assertThat(zone.get("withoutM1").toString()).isEqualTo(
                "[{\"dimensions\":{\"datetimeFifteenMinutes\":\"" + hour + "\"},\"sum\":{\"requests\":17},\"uniq\":{\"uniques\":4}}]");
        assertThat(zone.get("noDimensions").toString())
                .isEqualTo("[{\"sum\":{\"requests\":20,\"bytes\":2050},\"uniq\":{\"uniques\":4}}]");
    }

    @Test
    void rollupsOfHoursAndDaysEqualTheMinutes() {
        rollups.rollUp(Instant.now().plus(2, ChronoUnit.DAYS));
        rollups.rollUp(Instant.now().plus(2, ChronoUnit.DAYS)); // idempotent
        LocalDate day = LocalDate.ofInstant(hour, ZoneOffset.UTC);
        UsageClient.Answer answer = client.graphql(tokenX, """
                query ($zone: string, $from: Time, $to: Time, $day: Date) { viewer { zones(filter: {zoneTag: $zone}) {
                  hours: httpRequests1hGroups(limit: 10, filter: {datetime_geq: $from, datetime_lt: $to}) {
                    dimensions { datetime } sum { requests bytes countryMap { clientCountryName requests } } uniq { uniques } }
                  days: httpRequests1dGroups(limit: 10, filter: {date: $day}) { dimensions { date } sum { requests bytes } uniq { uniques } }
                  wsDays: zoneplaneWebSockets1dGroups(limit: 10, filter: {date_geq: $day, date_leq: $day}) {
                    sum { billableMinutes connectionsOpened } max { concurrentConnections } } } } }""",
                Map.of("zone", zoneA, "from", hour.toString(), "to", hour.plus(1, ChronoUnit.HOURS).toString(), "day", day.toString()));
        assertThat(answer.json().has("errors")).as(answer.body()).isFalse();
        JsonNode zone = answer.json().get("data").get("viewer").get("zones").get(0);
        JsonNode h = zone.get("hours").get(0);
        assertThat(h.get("dimensions").get("datetime").asString()).isEqualTo(hour.toString());
        assertThat(h.get("sum").get("requests").asLong()).isEqualTo(20);
        assertThat(h.get("sum").get("bytes").asLong()).isEqualTo(2050);
        assertThat(h.get("sum").get("countryMap").toString())
                .isEqualTo("[{\"clientCountryName\":\"DE\",\"requests\":2},{\"clientCountryName\":\"US\",\"requests\":18}]");
        assertThat(h.get("uniq").get("uniques").asLong()).isEqualTo(4);
        JsonNode d = zone.get("days").get(0);
        assertThat(d.get("dimensions").get("date").asString()).isEqualTo(day.toString());
        assertThat(d.get("sum").get("requests").asLong()).isEqualTo(20);
        assertThat(d.get("sum").get("bytes").asLong()).isEqualTo(2050);
        assertThat(d.get("uniq").get("uniques").asLong()).isEqualTo(4);
        JsonNode ws = zone.get("wsDays").get(0);
        assertThat(ws.get("sum").get("billableMinutes").asLong()).isEqualTo(2);
        assertThat(ws.get("sum").get("connectionsOpened").asLong()).isEqualTo(3);
        assertThat(ws.get("max").get("concurrentConnections").asLong()).isEqualTo(3);
    }

    @Test
    void retentionDropsWholePartitions() {
        Instant old = Instant.now().minus(30, ChronoUnit.DAYS);
        partitions.ensure(Resolution.MINUTE, old, old);
        String name = "analytics_http_1m_p" + LocalDate.ofInstant(old, ZoneOffset.UTC).toString().replace("-", "");
        assertThat(partitions.partitionsOf("analytics_http_1m")).contains(name);
        List<String> dropped = partitions.maintain(Instant.now());
        assertThat(dropped).contains(name, name.replace("http", "zone"));
        assertThat(partitions.partitionsOf("analytics_http_1m")).doesNotContain(name)
                .contains("analytics_http_1m_p" + LocalDate.now(ZoneOffset.UTC).toString().replace("-", ""));
    }

    @Test
    void queryFromCloudflaresZoneAnalyticsMigrationGuideRunsUnchanged() {
        // Cloudflare's docs, analytics/graphql-api/migration-guides/zone-analytics: only the zone id
        // placeholder and the two timestamps are filled in.
        String query = """
                {
                  viewer {
                    zones(filter: {zoneTag: <ZONE_ID>}) {
                      httpRequests1mGroups(orderBy: [datetimeMinute_ASC], limit: 100, filter: {datetime_geq: "2019-09-08T20:00:00Z", datetime_lt: "2019-09-08T20:02:00Z"}) {
                        dimensions {
                          datetimeMinute
                        }
                        sum {
                          browserMap {
                            pageViews
                            uaBrowserFamily
                          }
                          bytes
                          cachedBytes
                          cachedRequests
                          contentTypeMap {
                            bytes
                            requests
                            edgeResponseContentTypeName
                          }
                          clientSSLMap {
                            requests
                            clientSSLProtocol
                          }
                          countryMap {
                            bytes
                            requests
                            threats
                            clientCountryName
                          }
                          encryptedBytes
                          encryptedRequests
                          ipClassMap {
                            requests
                            ipType
                          }
                          pageViews
                          requests
                          responseStatusMap {
                            requests
                            edgeResponseStatus
                          }
                          threats
                          threatPathingMap {
                            requests
                            threatPathingName
                          }
                        }
                        uniq {
                          uniques
                        }
                      }
                    }
                  }
                }""".replace("<ZONE_ID>", "\"" + zoneA + "\"").replace("2019-09-08T20:00:00Z", m0.toString())
                .replace("2019-09-08T20:02:00Z", m0.plus(2, ChronoUnit.MINUTES).toString());
        UsageClient.Answer answer = client.graphql(tokenX, query, null);
        assertThat(answer.json().has("errors")).as(answer.body()).isFalse();
        JsonNode groups = answer.json().get("data").get("viewer").get("zones").get(0).get("httpRequests1mGroups");
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).get("sum").get("requests").asLong()).isEqualTo(17);
        assertThat(groups.get(0).get("sum").get("clientSSLMap").toString()).isEqualTo(
                "[{\"requests\":15,\"clientSSLProtocol\":\"TLSv1.3\"},{\"requests\":2,\"clientSSLProtocol\":\"none\"}]");
        assertThat(groups.get(0).get("sum").get("contentTypeMap").toString())
                .isEqualTo("[{\"bytes\":1750,\"requests\":17,\"edgeResponseContentTypeName\":\"html\"}]");
        assertThat(groups.get(0).get("sum").get("ipClassMap")).isEmpty();
        assertThat(groups.get(1).get("uniq").get("uniques").asLong()).isEqualTo(1);
    }

    @Test
    void queryFromCloudflaresHostnameTutorialRunsUnchangedOnTheTrailingSlashPath() {
        // Cloudflare's docs, analytics/graphql-api/tutorials/end-customer-analytics (note `$filter:filter`).
        String query = "query RequestsAndDataTransferByHostname($zoneTag: string, $filter:filter) { viewer { zones(filter: "
                + "{zoneTag: $zoneTag}) { httpRequestsAdaptiveGroups(limit: 10, filter: $filter) { sum { visits edgeResponseBytes } "
                + "dimensions { datetimeHour } } } } }";
        Map<String, Object> filter = Map.of("datetime_geq", hour.toString(), "datetime_lt", hour.plus(1, ChronoUnit.HOURS).toString(),
                "clientRequestHTTPHost", "www.example.com", "requestSource", "eyeball");
        UsageClient.Answer answer = client.graphql(tokenX, "/client/v4/graphql/", query, Map.of("zoneTag", zoneA, "filter", filter));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().has("errors")).as(answer.body()).isFalse();
        assertThat(answer.json().get("data").get("viewer").get("zones").get(0).get("httpRequestsAdaptiveGroups").toString())
                .isEqualTo("[{\"sum\":{\"visits\":0,\"edgeResponseBytes\":2050},\"dimensions\":{\"datetimeHour\":\"" + hour + "\"}}]");
    }

    @Test
    void adaptiveGroupsFilterAndOrderByDimensionsAndCounts() {
        UsageClient.Answer answer = client.graphql(tokenX, """
                query ($zone: string, $filter: ZoneHttpRequestsAdaptiveGroupsFilter_InputObject) { viewer { zones(filter: {zoneTag: $zone}) {
                  httpRequestsAdaptiveGroups(limit: 2, filter: $filter, orderBy: [count_DESC]) {
                    count sum { edgeResponseBytes } avg { sampleInterval } dimensions { coloCode edgeResponseStatus } } } } }""",
                Map.of("zone", zoneA, "filter", Map.of("datetime_geq", hour.toString(), "datetime_lt", hour.plus(1, ChronoUnit.HOURS).toString(),
                        "OR", List.of(Map.of("edgeResponseStatus", 404), Map.of("clientCountryName_in", List.of("US"))),
                        "coloCode_neq", "nowhere")));
        assertThat(answer.json().has("errors")).as(answer.body()).isFalse();
        assertThat(answer.json().get("data").get("viewer").get("zones").get(0).get("httpRequestsAdaptiveGroups").toString())
                .isEqualTo("[{\"count\":13,\"sum\":{\"edgeResponseBytes\":1300},\"avg\":{\"sampleInterval\":1.0},"
                        + "\"dimensions\":{\"coloCode\":\"edge-1\",\"edgeResponseStatus\":200}},"
                        + "{\"count\":5,\"sum\":{\"edgeResponseBytes\":700},\"avg\":{\"sampleInterval\":1.0},"
                        + "\"dimensions\":{\"coloCode\":\"edge-2\",\"edgeResponseStatus\":200}}]");
    }

    @Test
    void aRefusedDatasetIsNullWithAnErrorWhileTheOthersAnswer() {
        UsageClient.Answer answer = client.graphql(tokenX, """
                query ($zone: string, $from: Time, $to: Time) { viewer { zones(filter: {zoneTag: $zone}) {
                  tooMany: httpRequests1mGroups(limit: 20000, filter: {datetime_geq: $from, datetime_lt: $to}) { sum { requests } }
                  tooWide: httpRequests1mGroups(limit: 10, filter: {datetime_geq: "2026-01-01T00:00:00Z", datetime_lt: $to}) { sum { requests } }
                  firewallEventsAdaptiveGroups(limit: 10, filter: {datetime_geq: $from, datetime_lt: $to}) { count dimensions { action } }
                  fine: httpRequests1mGroups(limit: 10, filter: {datetime_geq: $from, datetime_lt: $to}) { sum { requests } } } } }""",
                Map.of("zone", zoneA, "from", hour.toString(), "to", hour.plus(1, ChronoUnit.HOURS).toString()));
        JsonNode json = answer.json();
        JsonNode zone = json.get("data").get("viewer").get("zones").get(0);
        assertThat(zone.get("tooMany").isNull()).isTrue();
        assertThat(zone.get("tooWide").isNull()).isTrue();
        assertThat(zone.get("firewallEventsAdaptiveGroups")).isEmpty();
        assertThat(zone.get("fine").get(0).get("sum").get("requests").asLong()).isEqualTo(20);
        JsonNode errors = json.get("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).get("message").asString()).isEqualTo("limit must be positive number and not greater than 10000");
        assertThat(errors.get(0).get("path").toString()).isEqualTo("[\"viewer\",\"zones\",0,\"tooMany\"]");
        assertThat(errors.get(0).get("extensions").get("code").asString()).isEqualTo("BAD_REQUEST");
        assertThat(errors.get(1).get("message").asString()).startsWith("query time range is too large");
    }

    @Test
    void malformedAndOverlyComplexQueriesAreRefusedWithDataNull() {
        JsonNode syntax = client.graphql(tokenX, "{ viewer { zones(filter: {zoneTag: ", null).json();
        assertThat(syntax.get("errors").get(0).get("extensions").get("code").asString()).isEqualTo("InvalidSyntax");
        assertThat(syntax.has("data") && !syntax.get("data").isNull()).isFalse();
        JsonNode unknown = client.graphql(tokenX, "{ viewer { zones(filter: {zoneTag: \"" + zoneA + "\"}) { nosuchDataset } } }", null).json();
        assertThat(unknown.get("errors").get(0).get("extensions").get("code").asString()).isEqualTo("ValidationError");
        StringBuilder wide = new StringBuilder("{ viewer { zones(filter: {zoneTag: \"" + zoneA + "\"}) {");
        for (int i = 0; i < 400; i++) {
            wide.append(" a").append(i).append(": zoneTag b").append(i).append(": zoneTag c").append(i).append(": zoneTag");
        }
        JsonNode complex = client.graphql(tokenX, wide.append(" } } }").toString(), null).json();
        assertThat(complex.get("errors").get(0).get("message").asString()).containsIgnoringCase("complexity");
    }

    @Test
    void aReportThatInflatesPastEightMegabytesIsRefusedWhole() {
        OwnZone own = ownZone();
        UsageReport report = new UsageReport("edge-1", "inflating", List.of(minute(own.zone(), m0, visitors("192.0.2.9"),
                WebSocketMinute.NONE, group("NL", 200, "HTTP/1.1", "none", 5, 500))));
        String json = report.toJson();
        // The same report padded with 9 MB of JSON whitespace: still a valid report, a few kilobytes gzipped,
        // so the whole body is sent long before the answer (no race with an early refusal of the upload).
        String padded = "{" + " ".repeat(9 * 1024 * 1024) + json.substring(1);
        byte[] body = UsageClient.gzip(padded.getBytes(StandardCharsets.UTF_8));
        assertThat(body.length).as("compressed").isLessThan(64 * 1024);

        UsageClient.Answer refused = client.postRaw("edge-1", body, "gzip", NODE_TOKEN);
        assertThat(refused.status()).as(refused.body()).isEqualTo(413);
        JsonNode error = refused.json().get("errors").get(0);
        assertThat(refused.json().get("success").asBoolean()).isFalse();
        assertThat(error.get("code").asInt()).isEqualTo(9413);
        assertThat(error.get("message").asString()).contains("decompressed", "8388608");
        assertThat(minuteGroups(own.reader(), own.zone()).get(0).get("httpRequests1mGroups")).isEmpty();

        // The same report without the padding is stored: the refusal was the size, nothing else.
        UsageClient.Answer stored = client.postRaw("edge-1", UsageClient.gzip(json.getBytes(StandardCharsets.UTF_8)),
                "gzip", NODE_TOKEN);
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(minuteGroups(own.reader(), own.zone()).get(0).get("httpRequests1mGroups").get(0).get("sum")
                .get("requests").asLong()).isEqualTo(5);
    }

    @Test
    void ingestRefusesWhatIsNoReportAndAnswersInTheEnvelope() {
        UsageClient.Answer notGzip = client.postRaw("edge-1", "{}".getBytes(StandardCharsets.UTF_8), "gzip", NODE_TOKEN);
        assertThat(notGzip.status()).isEqualTo(400);
        assertThat(notGzip.json().get("errors").get(0).get("code").asInt()).isEqualTo(1003);
        UsageClient.Answer malformed = client.postRaw("edge-1", UsageClient.gzip("{\"node_id\":1}".getBytes(StandardCharsets.UTF_8)),
                "gzip", NODE_TOKEN);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("success").asBoolean()).isFalse();
        UsageClient.Answer otherNode = client.post("edge-2", node1);
        assertThat(otherNode.status()).isEqualTo(400);
        // 9 MB of JSON whitespace, a few kilobytes gzipped: refused once 8 MB are decompressed
        byte[] bomb = new byte[9 * 1024 * 1024];
        java.util.Arrays.fill(bomb, (byte) ' ');
        UsageClient.Answer tooLarge = client.postRaw("edge-1", UsageClient.gzip(bomb), "gzip", NODE_TOKEN);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().get("errors").get(0).get("code").asInt()).isEqualTo(9413);
        UsageClient.Answer noToken = client.postRaw("edge-1", UsageClient.gzip(node1.toJson().getBytes(StandardCharsets.UTF_8)),
                "gzip", null);
        assertThat(noToken.status()).isEqualTo(401);
        UsageClient.Answer apiToken = client.postRaw("edge-1", UsageClient.gzip(node1.toJson().getBytes(StandardCharsets.UTF_8)),
                "gzip", tokenX);
        assertThat(apiToken.status()).isEqualTo(401);
    }

    @Test
    void usageEndpointsAnswerPerDayAndMonthWithTheSameTenancy() {
        String day = LocalDate.ofInstant(hour, ZoneOffset.UTC).toString();
        String query = "?since=" + day + "&until=" + day;
        ApiClient x = anonymous().withToken(tokenX);
        JsonNode zone = Envelopes.assertSuccess(x.get("/client/v4/zones/" + zoneA + "/usage" + query));
        assertThat(zone.get("days").toString()).isEqualTo("[{\"period\":\"" + day
                + "\",\"requests\":20,\"bandwidth_bytes\":2050,\"websocket_billable_minutes\":2}]");
        assertThat(zone.get("months").get(0).get("period").asString()).isEqualTo(day.substring(0, 7));
        assertThat(zone.get("months").get(0).get("requests").asLong()).isEqualTo(20);
        assertThat(zone.get("totals").get("bandwidth_bytes").asLong()).isEqualTo(2050);
        JsonNode account = Envelopes.assertSuccess(x.get("/accounts/" + accountX + "/usage" + query));
        assertThat(account.get("totals").get("requests").asLong()).isEqualTo(20);
        assertThat(account.get("totals").get("websocket_billable_minutes").asLong()).isEqualTo(2);

        ApiClient y = anonymous().withToken(tokenY);
        Envelopes.assertFailure(y.get("/zones/" + zoneA + "/usage" + query), 404, 1001);
        Envelopes.assertFailure(api().get("/zones/fedcba9876543210fedcba9876543210/usage"), 404, 1001);
        Envelopes.assertFailure(y.get("/accounts/" + accountX + "/usage" + query), 404, 1002);
        ApiClient noAnalytics = anonymous().withToken(token(accountX, "[\"zone:read\"]", null));
        Envelopes.assertFailure(noAnalytics.get("/zones/" + zoneA + "/usage"), 403, 10000);
        ApiClient scoped = anonymous().withToken(token(accountX, "[\"analytics:read\"]", "[\"" + zoneA + "\"]"));
        Envelopes.assertFailure(scoped.get("/accounts/" + accountX + "/usage"), 403, 9109);
        Envelopes.assertFailure(x.get("/zones/" + zoneA + "/usage?since=yesterday"), 400, 1003);
    }

    @Test
    void pipelineMetricsAreExposedAndPassPromtool() throws Exception {
        ApiClient.Response scrape = api().get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        String exposition = scrape.body();
        assertThat(exposition).contains("zoneplane_analytics_ingested_total", "zoneplane_analytics_duplicates_total",
                "zoneplane_analytics_dropped_total{reason=\"unknown_zone\"}", "zoneplane_analytics_rows_written_total",
                "zoneplane_analytics_ingest_lag_seconds{node=\"edge-1\"}", "zoneplane_analytics_rollup_lag_seconds{level=\"1h\"}",
                "zoneplane_analytics_websocket_volume_exceeded_zones");
        org.junit.jupiter.api.Assumptions.assumeTrue(new java.io.File("/usr/bin/promtool").canExecute(), "promtool not installed");
        java.nio.file.Path in = java.nio.file.Files.createTempFile("scrape", ".prom");
        try {
            java.nio.file.Files.writeString(in, exposition);
            Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectErrorStream(true)
                    .redirectInput(in.toFile()).start();
            String complaints = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            promtool.waitFor();
            assertThat(complaints.lines().filter(l -> l.contains("analytics") || l.contains("graphql")).toList()).isEmpty();
        } finally {
            java.nio.file.Files.deleteIfExists(in);
        }
    }

    @Autowired
    WebSocketVolumeGuide volumeGuide;

    @Test
    void aZoneAboveItsPlansWebSocketVolumeForMostOfTheHourIsFlaggedInTheZoneApi() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<UsageReport.ZoneMinute> minutes = new java.util.ArrayList<>();
        for (int i = 5; i < 45; i++) { // 40 of the last 60 minutes above Free's 100
            minutes.add(minute(zoneA2, now.minus(i, ChronoUnit.MINUTES), new byte[0], new WebSocketMinute(0, 0, 0, 150, 60, 0, 0, 0)));
        }
        assertThat(client.post("edge-3", new UsageReport("edge-3", minutes)).status()).isEqualTo(200);
        JsonNode flagged = Envelopes.assertSuccess(api().get("/zones/" + zoneA2)).get("websocket_volume");
        assertThat(flagged.toString()).isEqualTo(
                "{\"volume\":\"low\",\"expected\":100,\"peak_last_hour\":150,\"minutes_above\":40,\"exceeded\":true}");
        JsonNode zone = Envelopes.assertSuccess(api().get("/zones/" + zoneA));
        assertThat(zone.get("name").asString()).isNotBlank();
        assertThat(zone.get("websocket_volume").get("exceeded").asBoolean()).isFalse();
        volumeGuide.countFlaggedZones();
        assertThat(api().get("/actuator/prometheus").body().lines()
                .filter(l -> l.startsWith("zoneplane_analytics_websocket_volume_exceeded_zones "))
                .map(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0.0)).isGreaterThanOrEqualTo(1.0);
    }
}
