package zoneplane.system.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import zoneplane.dataplane.support.GrpcEcho;
import zoneplane.dataplane.support.MutableClock;
import zoneplane.dataplane.support.RawWebSocket;
import zoneplane.dataplane.support.RecordingOrigin;
import zoneplane.system.Ports;
import zoneplane.system.analytics.Visitors.Visit;
import zoneplane.testing.ApiClient;
import zoneplane.testing.EmbeddedControlPlane;
import zoneplane.testing.Envelopes;
import zoneplane.testing.Fixtures;
import zoneplane.testing.InProcessNode;
import zoneplane.testing.TestDatabase;

/**
 * Issue 22's whole path: a real control plane on PostgreSQL, a real node subscribed to it and shipping
 * its usage there, real origins (HTTP, WebSocket, grpc-java). Visitors from two countries (PROXY-protocol
 * addresses, countries from a Tor-format GeoIP file) send HTTP/1.1, HTTP/2 and gRPC requests and hold a
 * WebSocket open across two minute boundaries of the node's usage clock; the control plane is stopped
 * while a minute is shipped and restarted on the same database. The GraphQL Analytics API then answers
 * exactly what the visitors counted themselves: requests, bytes to the client, statuses, countries,
 * protocols, WebSocket connection time and billable minutes, nothing lost and nothing counted twice.
 */
class TrafficAnalyticsEndToEndTest {

    static final String DE = "203.0.113.9";
    static final String FR = "198.51.100.7";

    @TempDir
    Path dir;

    private EmbeddedControlPlane controlPlane;
    private InProcessNode node;
    private RecordingOrigin origin;
    private Server grpcOrigin;
    private long recorded;

    @AfterEach
    void stop() throws InterruptedException {
        if (node != null) {
            node.close();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
        if (origin != null) {
            origin.close();
        }
        if (grpcOrigin != null) {
            grpcOrigin.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void trafficThroughARealNodeIsAnsweredExactlyByGraphQlAcrossAControlPlaneOutage() throws Exception {
        TestDatabase.Database db = TestDatabase.newDatabase();
        int port = Ports.free();
        controlPlane = EmbeddedControlPlane.start(db, port, Map.of());
        origin = new RecordingOrigin();
        grpcOrigin = GrpcEcho.start();
        ApiClient api = controlPlane.api();
        String account = new Fixtures(api).account();
        String web = Fixtures.uniqueName();
        String webZone = zone(api, account, web, origin.url());
        String rpc = Fixtures.uniqueName();
        String rpcZone = zone(api, account, rpc, "http://127.0.0.1:" + grpcOrigin.getPort());
        Envelopes.assertSuccess(api.patch("/client/v4/zones/" + rpcZone + "/settings/grpc", "{\"value\":\"on\"}"));
        String dead = Fixtures.uniqueName();
        String deadZone = zone(api, account, dead, "http://127.0.0.1:9"); // nothing listens: the edge answers 502

        // Minutes a little in the past, so that the whole window is within the API's ranges and partitions.
        Instant m0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(20, ChronoUnit.MINUTES);
        Instant m1 = m0.plusSeconds(60);
        Instant m2 = m0.plusSeconds(120);
        Instant m3 = m0.plusSeconds(180);
        MutableClock clock = new MutableClock(m0.plusSeconds(5));
        node = InProcessNode.launch(Map.of(
                "ZONEPLANE_CONTROL_PLANE_URL", controlPlane.baseUrl(),
                "ZONEPLANE_NODE_TOKEN", EmbeddedControlPlane.NODE_TOKEN,
                "ZONEPLANE_NODE_ID", "e2e-usage",
                "ZONEPLANE_CACHE_DIR", Files.createDirectories(dir.resolve("cache")).toString(),
                "ZONEPLANE_GEOIP_FILES", geoipFile().toString(),
                "ZONEPLANE_PROXY_PROTOCOL", "true",
                "ZONEPLANE_TRUSTED_PROXIES", "127.0.0.1",
                "ZONEPLANE_USAGE_RETRY_MIN", "100ms",
                "ZONEPLANE_USAGE_RETRY_MAX", "500ms"), clock);
        await().atMost(Duration.ofSeconds(30)).until(() -> node.node().view().current().route(web) != null
                && node.node().view().current().route(rpc) != null && node.node().view().current().route(dead) != null);
        recorded = node.node().usage().recorded();
        Visitors visitors = new Visitors(node.httpPort());

        // Minute 0: HTTP/1.1 from both countries, HTTP/2 from France, gRPC from Germany, an origin that is
        // down, and a WebSocket from Germany that stays open.
        List<Visit> webVisits = new ArrayList<>();
        webVisits.add(visitors.http1("DE", DE, web, "/a"));
        webVisits.add(visitors.http1("DE", DE, web, "/bb?x=1"));
        webVisits.add(visitors.http1("FR", FR, web, "/ccc"));
        webVisits.add(visitors.h2("FR", FR, web, "/h2"));
        String[] reply = new String[1];
        Visit grpc = visitors.grpc("DE", DE, rpc, "hi", reply);
        Visit down = visitors.http1("FR", FR, dead, "/");
        assertThat(webVisits).extracting(Visit::status).containsOnly(200);
        assertThat(grpc.status()).isEqualTo(200);
        assertThat(reply[0]).isEqualTo("echo:hi");
        assertThat(down.status()).isEqualTo(502);
        awaitRecorded(6);

        clock.set(m0.plusSeconds(10));
        long wsToClient;
        long wsToOrigin;
        long wsMinute0;
        long wsMinute1;
        long wsHead;
        try (RawWebSocket ws = visitors.webSocket(DE, web, "/ws")) {
            assertThat(ws.status()).isEqualTo(101);
            ws.sendText("hello");
            assertThat(ws.read().text()).isEqualTo("hello");
            awaitRecorded(1);
            wsHead = ws.head().length();
            wsMinute0 = wsHead + Visitors.serverFrameBytes(5);
            clock.set(m1.plusSeconds(1));
            awaitShipped(webZone, m0);

            ws.sendText("again!");
            assertThat(ws.read().text()).isEqualTo("again!");
            wsMinute1 = Visitors.serverFrameBytes(6);
            clock.set(m2.plusSeconds(1));
            awaitShipped(webZone, m1);

            // Minute 2: the control plane goes away; the node keeps serving and accounting.
            controlPlane.close();
            controlPlane = null;
            webVisits.add(visitors.http1("DE", DE, web, "/outage/1"));
            webVisits.add(visitors.http1("DE", DE, web, "/outage/2"));
            webVisits.add(visitors.http1("DE", DE, web, "/outage/3"));
            awaitRecorded(3);
            clock.set(m2.plusSeconds(20));
            ws.sendClose(1000);
            RawWebSocket.Frame close = ws.read();
            assertThat(close.opcode()).isEqualTo(8);
            assertThat(ws.closedByPeer()).isTrue();
            awaitRecorded(1);
            wsToClient = wsMinute0 + wsMinute1 + Visitors.serverFrameBytes(close.payload().length);
            wsToOrigin = Visitors.clientFrameBytes(5) + Visitors.clientFrameBytes(6) + Visitors.clientFrameBytes(2);
        }
        double failuresBefore = metric("zoneplane_edge_usage_ship_failures_total");
        clock.set(m3.plusSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("zoneplane_edge_usage_spool_bytes") > 0
                && metric("zoneplane_edge_usage_ship_failures_total") > failuresBefore);

        controlPlane = EmbeddedControlPlane.start(db, port, Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> metric("zoneplane_edge_usage_spool_bytes") == 0);
        AnalyticsQueries graphql = new AnalyticsQueries(controlPlane.api());
        Instant to = m0.plusSeconds(240);

        // Per minute: the WebSocket's upgrade is minute 0's request, its bytes land where they flowed.
        long upgrade = webVisitBytes(webVisits.subList(0, 4));
        long outage = webVisitBytes(webVisits.subList(4, 7));
        JsonNode minutes = graphql.groups(AnalyticsQueries.MINUTES, "httpRequests1mGroups", webZone, m0, to);
        assertThat(rows(minutes, g -> g.get("dimensions").get("datetimeMinute").asString()
                + " requests=" + g.get("sum").get("requests").asLong() + " bytes=" + g.get("sum").get("bytes").asLong()
                + " uniques=" + g.get("uniq").get("uniques").asLong()))
                .containsExactly(
                        m0 + " requests=5 bytes=" + (upgrade + wsMinute0) + " uniques=2",
                        m1 + " requests=0 bytes=" + wsMinute1 + " uniques=0",
                        m2 + " requests=3 bytes=" + (outage + wsToClient - wsMinute0 - wsMinute1) + " uniques=1");

        // Over the window: countries, statuses and protocols, each request once.
        Visit webSocket = new Visit("DE", 101, "HTTP/1.1", wsToClient, 0);
        List<Visit> all = new ArrayList<>(webVisits);
        all.add(webSocket);
        JsonNode sum = graphql.groups(AnalyticsQueries.TOTALS, "httpRequests1mGroups", webZone, m0, to).get(0).get("sum");
        assertThat(sum.get("requests").asLong()).isEqualTo(all.size());
        assertThat(sum.get("bytes").asLong()).isEqualTo(all.stream().mapToLong(Visit::bytesToClient).sum());
        assertThat(map(sum.get("countryMap"), "clientCountryName", g -> g.get("requests").asLong() + "/" + g.get("bytes").asLong()))
                .isEqualTo(expected(all, Visit::country, v -> 1L, v -> v.bytesToClient()));
        assertThat(map(sum.get("responseStatusMap"), "edgeResponseStatus", g -> g.get("requests").asString()))
                .isEqualTo(count(all, v -> Integer.toString(v.status())));
        assertThat(map(sum.get("clientHTTPVersionMap"), "clientHTTPProtocol", g -> g.get("requests").asString()))
                .isEqualTo(count(all, Visit::protocol));

        // The adaptive dataset, by country, status and protocol.
        JsonNode adaptive = graphql.groups(AnalyticsQueries.ADAPTIVE, "httpRequestsAdaptiveGroups", webZone, m0, to);
        assertThat(rows(adaptive, g -> key(g.get("dimensions").get("clientCountryName").asString(),
                g.get("dimensions").get("edgeResponseStatus").asInt(), g.get("dimensions").get("clientRequestHTTPProtocol").asString())
                + " " + g.get("count").asLong() + "/" + g.get("sum").get("edgeResponseBytes").asLong()))
                .containsExactlyInAnyOrderElementsOf(expected(all, v -> key(v.country(), v.status(), v.protocol()),
                        v -> 1L, Visit::bytesToClient).entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());

        // The WebSocket: 130 s open, billed per started minute (3), its messages' bytes each way (the
        // handshake is the upgrade request's, counted above).
        JsonNode sockets = graphql.groups(AnalyticsQueries.WEBSOCKETS, "zoneplaneWebSockets1mGroups", webZone, m0, to);
        assertThat(total(sockets, "connectionsOpened")).isEqualTo(1);
        assertThat(total(sockets, "connectionsClosed")).isEqualTo(1);
        assertThat(total(sockets, "abnormalCloses")).isZero();
        assertThat(total(sockets, "connectionSeconds")).isEqualTo(130);
        assertThat(total(sockets, "billableMinutes")).isEqualTo(3);
        assertThat(total(sockets, "bytesToClient")).isEqualTo(wsToClient - wsHead);
        assertThat(total(sockets, "bytesToOrigin")).isEqualTo(wsToOrigin);
        assertThat(rows(sockets, g -> g.get("max").get("concurrentConnections").asLong())).containsOnly(1L);

        // gRPC and the edge's own 502, each in its zone.
        JsonNode rpcSum = graphql.groups(AnalyticsQueries.TOTALS, "httpRequests1mGroups", rpcZone, m0, to).get(0).get("sum");
        assertThat(rpcSum.get("requests").asLong()).isEqualTo(1);
        assertThat(rpcSum.get("bytes").asLong()).isEqualTo(grpc.bytesToClient());
        assertThat(map(rpcSum.get("countryMap"), "clientCountryName", g -> g.get("requests").asString())).isEqualTo(Map.of("DE", "1"));
        JsonNode deadSum = graphql.groups(AnalyticsQueries.TOTALS, "httpRequests1mGroups", deadZone, m0, to).get(0).get("sum");
        assertThat(deadSum.get("requests").asLong()).isEqualTo(1);
        assertThat(deadSum.get("bytes").asLong()).isEqualTo(down.bytesToClient());
        assertThat(map(deadSum.get("responseStatusMap"), "edgeResponseStatus", g -> g.get("requests").asString()))
                .isEqualTo(Map.of("502", "1"));
    }

    private static String zone(ApiClient api, String account, String name, String originUrl) {
        return Envelopes.assertSuccess(api.post("/zones", "{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + name
                + "\",\"type\":\"full\",\"plan\":\"enterprise\",\"origin\":\"" + originUrl + "\"}")).get("id").asString();
    }

    /** Tor's geoip format: 203.0.113.0/24 in Germany, 198.51.100.0/24 in France (ascending, as the format wants). */
    private Path geoipFile() throws IOException {
        return Files.writeString(dir.resolve("geoip"), range("198.51.100.0", "198.51.100.255", "FR")
                + range("203.0.113.0", "203.0.113.255", "DE"));
    }

    private static String range(String low, String high, String country) throws IOException {
        return asInt(low) + "," + asInt(high) + "," + country + "\n";
    }

    private static long asInt(String ip) throws IOException {
        long value = 0;
        for (byte b : InetAddress.getByName(ip).getAddress()) {
            value = (value << 8) | (b & 0xff);
        }
        return value;
    }

    private void awaitRecorded(int more) {
        long target = recorded + more;
        await().atMost(Duration.ofSeconds(20)).until(() -> node.node().usage().recorded() >= target);
        assertThat(node.node().usage().recorded()).isEqualTo(target);
        recorded = target;
    }

    /** Waits until the control plane answers for {@code minute} (the node shipped it). */
    private void awaitShipped(String zone, Instant minute) {
        AnalyticsQueries graphql = new AnalyticsQueries(controlPlane.api());
        await().atMost(Duration.ofSeconds(30)).until(() -> !graphql.groups(AnalyticsQueries.MINUTES,
                "httpRequests1mGroups", zone, minute, minute.plusSeconds(60)).isEmpty());
    }

    private double metric(String name) throws IOException, InterruptedException {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.managementPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static long webVisitBytes(List<Visit> visits) {
        return visits.stream().mapToLong(Visit::bytesToClient).sum();
    }

    private static String key(String country, int status, String protocol) {
        return country + "|" + status + "|" + protocol;
    }

    private static <T> List<T> rows(JsonNode groups, Function<JsonNode, T> row) {
        List<T> rows = new ArrayList<>();
        groups.forEach(g -> rows.add(row.apply(g)));
        return rows;
    }

    private static long total(JsonNode groups, String field) {
        return rows(groups, g -> g.get("sum").get(field).asLong()).stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, String> map(JsonNode entries, String keyField, Function<JsonNode, String> value) {
        Map<String, String> map = new TreeMap<>();
        entries.forEach(e -> map.put(e.get(keyField).asString(), value.apply(e)));
        return map;
    }

    private static Map<String, String> count(List<Visit> visits, Function<Visit, String> key) {
        return visits.stream().collect(Collectors.groupingBy(key, TreeMap::new,
                Collectors.collectingAndThen(Collectors.counting(), String::valueOf)));
    }

    /** "requests/bytes" per key, as the visitors counted them. */
    private static Map<String, String> expected(List<Visit> visits, Function<Visit, String> key,
            Function<Visit, Long> requests, Function<Visit, Long> bytes) {
        Map<String, long[]> sums = new TreeMap<>();
        for (Visit v : visits) {
            long[] s = sums.computeIfAbsent(key.apply(v), k -> new long[2]);
            s[0] += requests.apply(v);
            s[1] += bytes.apply(v);
        }
        Map<String, String> out = new TreeMap<>();
        sums.forEach((k, s) -> out.put(k, s[0] + "/" + s[1]));
        return out;
    }
}
