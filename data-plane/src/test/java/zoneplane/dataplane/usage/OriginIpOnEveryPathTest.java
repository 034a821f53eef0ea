package zoneplane.dataplane.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.GrpcEcho;
import zoneplane.dataplane.support.H2Visitor;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RawWebSocket;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.Setting;

/**
 * Every request path fills an exchange record's {@code originIp} (Logpush's {@code OriginIP}) and
 * {@code originStatus} with the origin that answered: the plain-Netty HTTP/1.1 path, Reactor Netty's
 * HTTP/1.1 path, HTTP/2 visitors (Reactor Netty to the pooled origin connection), gRPC (Reactor Netty's
 * HTTP/2 client) and WebSockets. The origins listen on 127.0.0.1.
 */
class OriginIpOnEveryPathTest {

    static final Server grpcOrigin = GrpcEcho.start();
    static final Queue<ExchangeRecord> fastRecords = new ConcurrentLinkedQueue<>();
    static final Queue<ExchangeRecord> reactorRecords = new ConcurrentLinkedQueue<>();

    @RegisterExtension
    static ProxyExtension fast = edge().listener(fastRecords::add);

    @RegisterExtension
    static ProxyExtension reactor = edge().env(DataPlaneConfigLoader.HTTP1_FAST_PATH, "false")
            .listener(reactorRecords::add);

    private static ProxyExtension edge() {
        return ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build(),
                Zones.zone("grpc.test", "http://127.0.0.1:" + grpcOrigin.getPort()).set(Setting.GRPC, "on").build()));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        grpcOrigin.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static ExchangeRecord record(Queue<ExchangeRecord> records, String uri) {
        await().atMost(Duration.ofSeconds(10)).until(() -> records.stream().anyMatch(r -> r.uri().equals(uri)));
        return records.stream().filter(r -> r.uri().equals(uri)).findFirst().orElseThrow();
    }

    private static void assertAnsweredBy127(ExchangeRecord record, int status) {
        assertThat(record.originIp()).as(record.toString()).isEqualTo("127.0.0.1");
        assertThat(record.originStatus()).as(record.toString()).isEqualTo(status);
    }

    @Test
    void theFastHttp1PathNamesTheOrigin() {
        assertThat(fast.get("a.test", "/fast").statusCode()).isEqualTo(200);
        assertAnsweredBy127(record(fastRecords, "/fast"), 200);
    }

    @Test
    void reactorNettysHttp1PathNamesTheOrigin() {
        assertThat(reactor.get("a.test", "/reactor").statusCode()).isEqualTo(200);
        ExchangeRecord record = record(reactorRecords, "/reactor");
        assertThat(record.protocol()).isEqualTo("HTTP/1.1");
        assertAnsweredBy127(record, 200);
    }

    @Test
    void anHttp2VisitorsRequestNamesTheOrigin() throws Exception {
        try (H2Visitor h2 = H2Visitor.cleartext(fast.httpPort()).preface()) {
            assertThat(h2.request(1, new DefaultHttp2Headers().method("GET").scheme("http").authority("a.test")
                    .path("/h2"), true).await(1, Duration.ofSeconds(10)).status()).isEqualTo(200);
        }
        ExchangeRecord record = record(fastRecords, "/h2");
        assertThat(record.protocol()).isEqualTo("HTTP/2");
        assertAnsweredBy127(record, 200);
    }

    @Test
    void aGrpcCallNamesTheOrigin() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", fast.httpPort()).usePlaintext()
                .overrideAuthority("grpc.test").build();
        try {
            assertThat(ClientCalls.blockingUnaryCall(channel, GrpcEcho.UNARY,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "origin?")).isEqualTo("echo:origin?");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        ExchangeRecord record = record(fastRecords, "/zoneplane.test.Echo/Unary");
        assertThat(record.kind()).isEqualTo(ExchangeRecord.Kind.GRPC);
        assertAnsweredBy127(record, 200);
    }

    @Test
    void aWebSocketNamesTheOrigin() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(fast.httpPort(), "a.test", "/ws-origin")) {
            assertThat(ws.status()).isEqualTo(101);
            ws.sendText("hi");
            assertThat(ws.read().text()).isEqualTo("hi");
            ws.sendClose(1000);
            assertThat(ws.read().opcode()).isEqualTo(8);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fastRecords.stream()
                .anyMatch(r -> r.uri().equals("/ws-origin") && r.kind() == ExchangeRecord.Kind.WEBSOCKET));
        ExchangeRecord record = fastRecords.stream()
                .filter(r -> r.uri().equals("/ws-origin") && r.kind() == ExchangeRecord.Kind.WEBSOCKET).findFirst().orElseThrow();
        assertAnsweredBy127(record, 101);
    }
}
