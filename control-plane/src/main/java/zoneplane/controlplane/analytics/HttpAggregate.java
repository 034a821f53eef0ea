package zoneplane.controlplane.analytics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import zoneplane.controlplane.analytics.AnalyticsStore.HttpRow;
import zoneplane.controlplane.analytics.AnalyticsStore.ZoneRow;
import zoneplane.model.wire.UsageReport;

/** One group of {@code httpRequests1m/1h/1dGroups}. */
final class HttpAggregate {
    long requests;
    long bytes;
    long encryptedRequests;
    long encryptedBytes;
    final Map<String, long[]> countries = new TreeMap<>();
    final Map<Long, long[]> statuses = new TreeMap<>();
    final Map<String, long[]> protocols = new TreeMap<>();
    final Map<String, long[]> ssl = new TreeMap<>();
    final Map<String, long[]> contentTypes = new TreeMap<>();
    final Uniques uniques = new Uniques();

    void add(Object row) {
        if (row instanceof ZoneRow z) {
            uniques.add(z.uniques());
            return;
        }
        HttpRow h = (HttpRow) row;
        requests += h.requests();
        bytes += h.bytesToClient();
        if (!UsageReport.NO_TLS.equals(h.sslProtocol())) {
            encryptedRequests += h.requests();
            encryptedBytes += h.bytesToClient();
        }
        count(countries, h.country(), h);
        count(statuses, h.status(), h);
        count(protocols, h.protocol(), h);
        count(ssl, h.sslProtocol(), h);
        count(contentTypes, h.contentType(), h);
    }

    private static <K> void count(Map<K, long[]> map, K key, HttpRow row) {
        long[] v = map.computeIfAbsent(key, k -> new long[2]);
        v[0] += row.requests();
        v[1] += row.bytesToClient();
    }

    Map<String, Object> render() {
        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("requests", requests);
        sum.put("bytes", bytes);
        sum.put("cachedRequests", 0L);
        sum.put("cachedBytes", 0L);
        sum.put("encryptedRequests", encryptedRequests);
        sum.put("encryptedBytes", encryptedBytes);
        sum.put("pageViews", 0L);
        sum.put("threats", 0L);
        sum.put("countryMap", entries(countries, (k, v) -> Map.of("clientCountryName", k, "requests", v[0], "bytes", v[1], "threats", 0L)));
        sum.put("responseStatusMap", entries(statuses, (k, v) -> Map.of("edgeResponseStatus", k, "requests", v[0])));
        sum.put("clientHTTPVersionMap", entries(protocols, (k, v) -> Map.of("clientHTTPProtocol", k, "requests", v[0])));
        sum.put("clientSSLMap", entries(ssl, (k, v) -> Map.of("clientSSLProtocol", k, "requests", v[0])));
        sum.put("contentTypeMap", entries(contentTypes,
                (k, v) -> Map.of("edgeResponseContentTypeName", k, "requests", v[0], "bytes", v[1])));
        sum.put("browserMap", List.of());
        sum.put("ipClassMap", List.of());
        sum.put("threatPathingMap", List.of());
        return Map.of("sum", sum, "uniq", Map.of("uniques", uniques.estimate()), "count", requests);
    }

    private static <K> List<Map<String, Object>> entries(Map<K, long[]> map,
            java.util.function.BiFunction<K, long[], Map<String, Object>> entry) {
        List<Map<String, Object>> out = new ArrayList<>(map.size());
        map.forEach((k, v) -> {
            if (v[0] > 0 || v[1] > 0) {
                out.add(entry.apply(k, v));
            }
        });
        return out;
    }
}
