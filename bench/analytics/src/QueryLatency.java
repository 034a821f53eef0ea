import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Issue 22's query benchmark: the Traffic page's 24-hour question for one zone, asked through the GraphQL
 * Analytics API (httpRequests1mGroups over 24 h in 15-minute buckets, with the country and status maps
 * and uniques), QUERIES times after WARMUP unmeasured ones, one at a time. Prints p50, p99 and max.
 *
 *   java QueryLatency BASE TOKEN ZONE_ID UNTIL_ISO QUERIES WARMUP
 */
public final class QueryLatency {

    private static final String QUERY = """
            query ($zone: string!, $from: Time!, $to: Time!) { viewer { zones(filter: {zoneTag: $zone}) {
              httpRequests1mGroups(limit: 10000, filter: {datetime_geq: $from, datetime_lt: $to}, orderBy: [datetimeFifteenMinutes_ASC]) {
                dimensions { datetimeFifteenMinutes }
                sum { requests bytes encryptedRequests countryMap { clientCountryName requests bytes }
                      responseStatusMap { edgeResponseStatus requests } clientHTTPVersionMap { clientHTTPProtocol requests } }
                uniq { uniques } } } } }""".replace("\n", " ").replace("\"", "\\\"");

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        String zone = args[2];
        Instant until = Instant.parse(args[3]);
        int queries = Integer.parseInt(args[4]);
        int warmup = Integer.parseInt(args[5]);
        String body = "{\"query\":\"" + QUERY + "\",\"variables\":{\"zone\":\"" + zone + "\",\"from\":\""
                + until.minus(Duration.ofHours(24)) + "\",\"to\":\"" + until + "\"}}";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/client/v4/graphql")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        String first = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        if (!first.contains("\"datetimeFifteenMinutes\"") || first.contains("\"errors\"")) {
            throw new IllegalStateException("the query did not answer groups: " + first.substring(0, Math.min(600, first.length())));
        }
        int groups = first.split("\"datetimeFifteenMinutes\"", -1).length - 1;
        for (int i = 0; i < warmup; i++) {
            http.send(request, HttpResponse.BodyHandlers.discarding());
        }
        double[] millis = new double[queries];
        for (int i = 0; i < queries; i++) {
            long start = System.nanoTime();
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            millis[i] = (System.nanoTime() - start) / 1e6;
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("query " + i + ": " + answer.statusCode() + " " + answer.body());
            }
        }
        Arrays.sort(millis);
        System.out.printf("query: 24 h of httpRequests1mGroups for one zone, %d groups per answer, %d queries after %d warm-up%n",
                groups, queries, warmup);
        System.out.printf("query_p50_ms=%.2f%n", percentile(millis, 0.50));
        System.out.printf("query_p99_ms=%.2f%n", percentile(millis, 0.99));
        System.out.printf("query_max_ms=%.2f%n", millis[millis.length - 1]);
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
