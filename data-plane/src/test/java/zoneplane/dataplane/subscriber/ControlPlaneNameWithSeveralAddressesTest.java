package zoneplane.dataplane.subscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.model.Plan;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;
import zoneplane.model.wire.SnapshotWriter;

/**
 * A control-plane name that resolves to two loopback addresses, 127.0.0.1 and ::1, with a replica
 * listening on only one of them (the other refuses): whichever address the node's rotation starts
 * at, it reaches the replica within one round, takes its snapshot, follows its stream and reports to
 * it, and its metric names the address it follows. Real sockets; only name resolution is chosen by
 * the test (this machine's {@code localhost} may have one address or two).
 */
class ControlPlaneNameWithSeveralAddressesTest {

    @TempDir
    Path cache;

    /** The replica's side of what the node asked for: "GET /internal/v1/snapshot", "PUT /internal/v1/nodes/…". */
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @ParameterizedTest(name = "replica on {0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void theNodeReachesTheOneAddressThatAnswers(String listening) throws Exception {
        String silent = listening.equals("::1") ? "127.0.0.1" : "::1";
        DisposableServer replica = fakeReplica(listening);
        try {
            assumeThat(refuses(silent, replica.port())).as("nothing listens on [%s]:%d", silent, replica.port()).isTrue();
            ControlPlaneReplicas.Resolver dns = host -> {
                if (!host.equals("replicas.test")) {
                    throw new UnknownHostException(host);
                }
                return new InetAddress[] {InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")};
            };
            URI url = URI.create("http://replicas.test:" + replica.port());
            // Node ids whose rotation starts at each of the two addresses: one of them tries the refusing one first.
            for (String nodeId : List.of("edge-1", "edge-2", "edge-3", "edge-4")) {
                requests.clear();
                LiveZoneView live = new LiveZoneView();
                SimpleMeterRegistry meters = new SimpleMeterRegistry();
                SubscriberOptions options = SubscriberOptions.defaults().withBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                        .withReportInterval(Duration.ofMillis(200)).withAddress("test");
                try (ConfigSubscriber subscriber = new ConfigSubscriber(List.of(url), dns, "token", nodeId,
                        cache.resolve(nodeId), live, meters, options)) {
                    subscriber.start();
                    await().atMost(Duration.ofSeconds(10)).until(() -> live.current().revision() == 5);
                    await().atMost(Duration.ofSeconds(10)).until(() -> following(meters, listening));
                    await().atMost(Duration.ofSeconds(10)).until(() -> requests.contains("PUT /internal/v1/nodes/" + nodeId));
                    assertThat(live.current().zone("several.example.com")).isPresent();
                    assertThat(requests).contains("GET /internal/v1/snapshot", "GET /internal/v1/changes?after=5");
                    assertThat(meters.get("zoneplane.config.snapshots").counter().count()).isEqualTo(1.0);
                }
            }
        } finally {
            replica.disposeNow();
        }
    }

    private static boolean following(SimpleMeterRegistry meters, String address) {
        Gauge gauge = meters.find("zoneplane.config.control.plane").tag("address", address).gauge();
        return gauge != null && gauge.value() == 1.0;
    }

    /** A replica on one address: a one-zone snapshot at revision 5, a stream of heartbeats, node reports accepted. */
    private DisposableServer fakeReplica(String address) {
        return HttpServer.create()
                .bindAddress(() -> new InetSocketAddress(address, 0))
                .route(routes -> routes
                        .get("/internal/v1/snapshot", (req, res) -> {
                            requests.add("GET " + req.uri());
                            return res.header("Content-Type", "application/json").sendString(Mono.just(snapshot(5)));
                        })
                        .get("/internal/v1/changes", (req, res) -> {
                            requests.add("GET " + req.uri());
                            return res.header("Content-Type", "application/x-ndjson")
                                    .sendString(Flux.interval(Duration.ZERO, Duration.ofMillis(200))
                                            .map(i -> "{\"type\":\"heartbeat\",\"revision\":5}\n"));
                        })
                        .put("/internal/v1/nodes/{id}", (req, res) -> {
                            requests.add("PUT " + req.uri());
                            return res.sendString(Mono.just("{}"));
                        }))
                .bindNow();
    }

    private static String snapshot(long revision) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SnapshotWriter writer = new SnapshotWriter(out, revision)) {
            writer.write(new ZoneConfig(String.format("%032x", 1), "several.example.com", Plan.PRO, "http://10.0.0.1:80",
                    false, ZoneSettings.defaultsFor(Plan.PRO)));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean refuses(String address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 1000);
            return false;
        } catch (IOException refused) {
            return true;
        }
    }
}
