package zoneplane.system.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import zoneplane.testing.ApiClient;

/** GraphQL Analytics API queries as Cloudflare's clients post them, over real HTTP, one zone and time range each. */
final class AnalyticsQueries {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final String MINUTES = """
            query ($zone: string!, $from: Time!, $to: Time!) { viewer { zones(filter: {zoneTag: $zone}) {
              httpRequests1mGroups(limit: 100, filter: {datetime_geq: $from, datetime_lt: $to}, orderBy: [datetimeMinute_ASC]) {
                dimensions { datetimeMinute }
                sum { requests bytes }
                uniq { uniques } } } } }""";

    static final String TOTALS = """
            query ($zone: string!, $from: Time!, $to: Time!) { viewer { zones(filter: {zoneTag: $zone}) {
              httpRequests1mGroups(limit: 100, filter: {datetime_geq: $from, datetime_lt: $to}) {
                sum { requests bytes countryMap { clientCountryName requests bytes }
                      responseStatusMap { edgeResponseStatus requests } clientHTTPVersionMap { clientHTTPProtocol requests } } } } } }""";

    static final String ADAPTIVE = """
            query ($zone: string!, $from: Time!, $to: Time!) { viewer { zones(filter: {zoneTag: $zone}) {
              httpRequestsAdaptiveGroups(limit: 100, filter: {datetime_geq: $from, datetime_lt: $to}) {
                count
                dimensions { clientCountryName edgeResponseStatus clientRequestHTTPProtocol }
                sum { edgeResponseBytes } } } } }""";

    static final String WEBSOCKETS = """
            query ($zone: string!, $from: Time!, $to: Time!) { viewer { zones(filter: {zoneTag: $zone}) {
              zoneplaneWebSockets1mGroups(limit: 100, filter: {datetime_geq: $from, datetime_lt: $to}, orderBy: [datetimeMinute_ASC]) {
                dimensions { datetimeMinute }
                sum { connectionsOpened connectionsClosed abnormalCloses connectionSeconds billableMinutes bytesToClient bytesToOrigin }
                max { concurrentConnections } } } } }""";

    private final ApiClient api;

    AnalyticsQueries(ApiClient api) {
        this.api = api;
    }

    /** The dataset's groups for {@code zone} in [from, to), after asserting the answer carries no error. */
    JsonNode groups(String query, String dataset, String zone, Instant from, Instant to) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", Map.of("zone", zone, "from", from.toString(), "to", to.toString()));
        ApiClient.Response answer = api.post("/client/v4/graphql", JSON.writeValueAsString(body));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.path("errors").isMissingNode() || json.path("errors").isNull()
                || json.path("errors").isEmpty()).as(answer.body()).isTrue();
        JsonNode zones = json.get("data").get("viewer").get("zones");
        assertThat(zones.size()).as(answer.body()).isEqualTo(1);
        return zones.get(0).get(dataset);
    }
}
