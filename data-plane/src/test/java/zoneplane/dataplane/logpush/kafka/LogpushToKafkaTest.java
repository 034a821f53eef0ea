package zoneplane.dataplane.logpush.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static zoneplane.dataplane.support.LogpushFixtures.names;
import static zoneplane.dataplane.support.LogpushFixtures.options;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import zoneplane.dataplane.logpush.LogpushSettings;
import zoneplane.dataplane.support.H2Visitor;
import zoneplane.dataplane.support.LogReceiver;
import zoneplane.dataplane.support.LogpushControlPlane;
import zoneplane.dataplane.support.LogpushFixtures;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RawWebSocket;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.OutputOptions;
import zoneplane.model.logpush.TimestampFormat;
import zoneplane.model.wire.LogpushJobs;
import zoneplane.model.wire.LogpushReport;

/**
 * Issue 23 end to end into Kafka: a real node with {@code kafka://} jobs from a fake control plane's feed,
 * HTTP/1.1, h2 and WebSocket traffic through it, and a real consumer reading an in-process KRaft broker.
 * The broker advertises the address of a {@link TcpRelay} in front of it, so every connection of the node's
 * producer goes through the relay: closing it makes the whole cluster unreachable (not just the bootstrap),
 * reopening it brings the cluster back.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LogpushToKafkaTest {

    static final String TOKEN = "logpush-kafka-token";
    static final LogpushControlPlane controlPlane = new LogpushControlPlane(TOKEN);
    static final HttpRequestsField[] HTTP_FIELDS = {HttpRequestsField.RAY_ID, HttpRequestsField.ZONE_NAME,
        HttpRequestsField.CLIENT_REQUEST_PATH, HttpRequestsField.CLIENT_REQUEST_PROTOCOL,
        HttpRequestsField.ZONEPLANE_CONNECTION_KIND, HttpRequestsField.EDGE_RESPONSE_STATUS,
        HttpRequestsField.EDGE_START_TIMESTAMP};
    static final HttpRequestsField[] WEBSOCKET_FIELDS = {HttpRequestsField.ZONEPLANE_CONNECTION_KIND,
        HttpRequestsField.EDGE_RESPONSE_STATUS, HttpRequestsField.EDGE_START_TIMESTAMP, HttpRequestsField.EDGE_END_TIMESTAMP};

    @RegisterExtension
    static ProxyExtension edge = controlPlane.follows(ProxyExtension.zones(origin -> List.of(
            Zones.zone("a.test", origin.url()).build(), Zones.zone("ws.test", origin.url()).build())))
            .env(LogpushSettings.ALLOW_PRIVATE_DESTINATIONS, "true");

    static EmbeddedKafkaKraftBroker broker;
    static int relayPort;
    static InetSocketAddress brokerAddress;
    static TcpRelay relay;

    @BeforeAll
    static void startBroker() throws IOException {
        relayPort = TcpRelay.freePort();
        broker = KafkaTestBroker.start(2, Map.of("advertised.listeners", "EXTERNAL://127.0.0.1:" + relayPort));
        String[] first = broker.getBrokersAsString().split(",")[0].split(":");
        brokerAddress = new InetSocketAddress(first[0], Integer.parseInt(first[1]));
        relay = TcpRelay.listen(relayPort, brokerAddress);
        KafkaTestBroker.createTopics(broker, new NewTopic("logs", 2, (short) 1), new NewTopic("logs-outage", 2, (short) 1));
    }

    @AfterAll
    static void stop() throws IOException {
        controlPlane.close();
        relay.close();
        broker.destroy();
    }

    static String zoneId(String host) {
        return edge.node().view().current().route(host).id();
    }

    static LogpushJobs.Job job(long id, String host, OutputOptions options, String topic) {
        return LogpushFixtures.job(id, zoneId(host), options, "", "kafka://127.0.0.1:" + relayPort + "/" + topic);
    }

    /** Every record of {@code topic} (read through the relay, as the node writes), once {@code expected} arrived. */
    static List<ConsumerRecord<String, String>> consume(String topic, int expected) {
        return KafkaTestBroker.consume("127.0.0.1:" + relayPort, topic, expected);
    }

    static Map<String, Object> parsed(ConsumerRecord<String, String> record) {
        List<Map<String, Object>> values = LogReceiver.parse(record.value());
        assertThat(values).as("records in one Kafka value").hasSize(1);
        return values.get(0);
    }

    @Test
    void eachHttp1H2AndWebSocketExchangeIsOneRecordKeyedByItsZoneWithItsJobsFields() throws Exception {
        controlPlane.serve(job(1, "a.test", options(TimestampFormat.UNIX, HTTP_FIELDS), "logs"),
                job(2, "ws.test", options(TimestampFormat.RFC3339MS, WEBSOCKET_FIELDS), "logs"));
        Instant before = Instant.now();
        String ray = edge.get("a.test", "/one").headers().firstValue("cf-ray").orElseThrow();
        try (H2Visitor h2 = H2Visitor.cleartext(edge.httpPort()).preface()) {
            assertThat(h2.request(1, new DefaultHttp2Headers().method("GET").scheme("http").authority("a.test")
                    .path("/h2"), true).await(1, Duration.ofSeconds(10)).status()).isEqualTo(200);
        }
        try (RawWebSocket ws = RawWebSocket.open(edge.httpPort(), "ws.test", "/ws")) {
            assertThat(ws.status()).isEqualTo(101);
            ws.sendText("hello");
            assertThat(ws.read().text()).isEqualTo("hello");
            ws.sendClose(1000);
            assertThat(ws.read().opcode()).isEqualTo(8);
        }

        List<ConsumerRecord<String, String>> records = consume("logs", 3);
        assertThat(records).hasSize(3);
        Map<String, List<Map<String, Object>>> byZone = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(LogpushToKafkaTest::parsed, Collectors.toList())));
        assertThat(byZone.keySet()).containsExactlyInAnyOrder(zoneId("a.test"), zoneId("ws.test"));

        List<Map<String, Object>> http = byZone.get(zoneId("a.test"));
        assertThat(http).allSatisfy(r -> assertThat(List.copyOf(r.keySet())).containsExactlyElementsOf(names(HTTP_FIELDS)));
        assertThat(http).extracting(r -> r.get("ClientRequestPath")).containsExactlyInAnyOrder("/one", "/h2");
        Map<String, Map<String, Object>> byPath = http.stream().collect(Collectors.toMap(r -> (String) r.get("ClientRequestPath"),
                r -> r));
        assertThat(byPath.get("/one")).containsEntry("RayID", ray).containsEntry("ClientRequestProtocol", "HTTP/1.1")
                .containsEntry("ZoneName", "a.test").containsEntry("ZoneplaneConnectionKind", "http")
                .containsEntry("EdgeResponseStatus", 200L);
        assertThat(byPath.get("/h2")).containsEntry("ClientRequestProtocol", "HTTP/2");
        assertThat(http).allSatisfy(r -> assertThat((Long) r.get("EdgeStartTimestamp"))
                .isBetween(before.getEpochSecond() - 1, Instant.now().getEpochSecond()));

        List<Map<String, Object>> websocket = byZone.get(zoneId("ws.test"));
        assertThat(websocket).singleElement().satisfies(r -> {
            assertThat(List.copyOf(r.keySet())).containsExactlyElementsOf(names(WEBSOCKET_FIELDS));
            assertThat(r).containsEntry("ZoneplaneConnectionKind", "websocket").containsEntry("EdgeResponseStatus", 101L);
            assertThat(Instant.parse((String) r.get("EdgeEndTimestamp")))
                    .isAfterOrEqualTo(Instant.parse((String) r.get("EdgeStartTimestamp")));
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> controlPlane.outcome(1).recordsDelivered() == 2
                && controlPlane.outcome(2).recordsDelivered() == 1);
        for (long job : new long[] {1, 2}) {
            LogpushReport.JobOutcome outcome = controlPlane.outcome(job);
            assertThat(outcome.lastComplete()).isAfter(before.minusSeconds(1));
            assertThat(outcome.lastError()).isNull();
            assertThat(outcome.errorMessage()).isNull();
        }
        assertThat(controlPlane.problems()).isEmpty();
    }

    /**
     * The cluster unreachable (the relay closed, its connections cut): the node's batches wait in its spool, the
     * report says the error; the cluster back: every record arrives at least once, the report says so, the spool empties.
     */
    @Test
    void whileTheClusterIsUnreachableBatchesAreSpooledAndTheErrorReportedThenEveryRecordArrives() throws Exception {
        HttpRequestsField[] fields = {HttpRequestsField.RAY_ID, HttpRequestsField.CLIENT_REQUEST_PATH};
        controlPlane.serve(job(3, "a.test", options(TimestampFormat.UNIX, fields), "logs-outage"));
        List<String> rays = new ArrayList<>(edge.rays("a.test", "/before/", 3));
        await().atMost(Duration.ofSeconds(20)).until(() -> controlPlane.outcome(3).recordsDelivered() == 3);
        Instant outage = Instant.now();

        relay.close();
        try {
            rays.addAll(edge.rays("a.test", "/during/", 5));
            await().atMost(Duration.ofSeconds(30)).until(() -> edge.metric("zoneplane_edge_logpush_spool_bytes") > 0);
            // the producer gives a batch up after its delivery timeout (30 s), then the pipeline retries it
            await().atMost(Duration.ofSeconds(75)).until(() -> controlPlane.outcome(3).lastError() != null);
            LogpushReport.JobOutcome failing = controlPlane.outcome(3);
            assertThat(failing.lastError()).isAfter(outage);
            assertThat(failing.errorMessage()).startsWith("Kafka topic logs-outage did not take the batch");
            assertThat(failing.recordsDelivered()).isEqualTo(3);
            assertThat(edge.metric("zoneplane_edge_logpush_spool_bytes")).isPositive();
            rays.addAll(edge.rays("a.test", "/spooled/", 2));
        } finally {
            relay = TcpRelay.listen(relayPort, brokerAddress);
        }

        await().atMost(Duration.ofSeconds(75)).until(() -> controlPlane.outcome(3).recordsDelivered() == rays.size());
        List<ConsumerRecord<String, String>> records = consume("logs-outage", rays.size());
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(zoneId("a.test")));
        List<Map<String, Object>> values = records.stream().map(LogpushToKafkaTest::parsed).toList();
        assertThat(values).allSatisfy(v -> assertThat(List.copyOf(v.keySet())).containsExactlyElementsOf(names(fields)));
        Map<String, Long> copies = values.stream().collect(Collectors.groupingBy(v -> (String) v.get("RayID"), Collectors.counting()));
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(rays);
        long duplicates = copies.values().stream().mapToLong(n -> n - 1).sum();

        controlPlane.assertRecovered(3, outage, duplicates);
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.metric("zoneplane_edge_logpush_spool_bytes") == 0);
    }
}
