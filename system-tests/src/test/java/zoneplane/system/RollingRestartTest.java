package zoneplane.system;

import zoneplane.testing.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static zoneplane.system.SystemHarness.EDGE_HOST;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.dataplane.support.WebSocketRecorder;
import zoneplane.testing.RecordingOrigin;

/**
 * Scenario 3 (issue 8): the data-plane nodes are restarted one after the other with SIGTERM while a
 * load-balanced client keeps sending requests (each on its own connection, the origin answering after
 * up to 300 ms, so requests are in flight at every SIGTERM). No request a node accepted may fail, a
 * request in flight at SIGTERM completes, and open WebSockets are closed with 1001 (going away).
 */
class RollingRestartTest {

    @RegisterExtension
    static final SystemExtension system = SystemExtension.shared();

    private static final String ZONE = "rolling.example.com";
    private static final int CLIENTS = 4;

    @Test
    void rollingRestartFailsNoAcceptedRequestAndClosesWebSocketsWith1001() throws Exception {
        SystemHarness sys = system.system();
        ApiClient api = sys.api();
        String zoneId = api.createZone(ZONE, "business", sys.origin().url());
        long created = api.propagation(zoneId).get("latest_revision").asLong();
        for (EdgeNodeProcess node : sys.nodes()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> node.servedRevision() >= created);
        }

        LoadBalancer lb = new LoadBalancer(sys.nodes(), ZONE);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> loops = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String prefix = "client" + c;
            loops.add(clients.submit(() -> lb.runUntil(running::get, prefix)));
        }
        int rounds = Systems.heavy() ? 3 : 1;
        List<Integer> closeCodes = new ArrayList<>();
        try {
            for (int round = 0; round < rounds; round++) {
                for (EdgeNodeProcess node : sys.nodes()) {
                    closeCodes.add(restartUnderLoad(node, lb));
                }
            }
        } finally {
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(60, TimeUnit.SECONDS);
            }
            clients.shutdownNow();
        }

        System.out.printf("scenario 3: %d requests answered, %d refused connections rerouted, "
                        + "%d connections closed before an answer (retried), of which the origin had received %d%n",
                lb.ok(), lb.refusedAndRerouted(), lb.closedBeforeAnswer().size(),
                lb.droppedAfterAccept(sys.origin()).size());
        assertThat(closeCodes).as("WebSocket close codes at SIGTERM").containsOnly(1001);
        assertThat(lb.failures()).as("requests that failed").isEmpty();
        assertThat(lb.droppedAfterAccept(sys.origin())).as("requests the origin received but the visitor never got an answer for")
                .isEmpty();
        assertThat(lb.ok()).isPositive();
    }

    /** SIGTERM to one node with a WebSocket open and a slow request in flight; start it again. */
    private int restartUnderLoad(EdgeNodeProcess node, LoadBalancer lb) throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Host", ZONE)
                .buildAsync(URI.create("ws://[::1]:" + node.httpPort() + "/ws"), recorder).get(10, TimeUnit.SECONDS);
        ws.sendText("hello " + node.nodeId(), true).join();
        assertThat(recorder.texts.poll(10, TimeUnit.SECONDS)).isEqualTo("hello " + node.nodeId());

        // A request the origin answers only after 1.5 s, in flight when SIGTERM arrives (drain deadline 2 s).
        String slowId = "slow-" + node.nodeId() + "-" + System.nanoTime();
        CompletableFuture<RawHttp.Exchange> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return RawHttp.untilClosed(EDGE_HOST, node.httpPort(), "GET /slow?delay=1500 HTTP/1.1\r\nHost: " + ZONE + "\r\n"
                        + RecordingOrigin.TEST_ID + ": " + slowId + "\r\nConnection: close\r\n\r\n", 15_000);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> system.system().origin().saw(slowId));

        long stopping = System.nanoTime();
        node.process().terminate(Duration.ofSeconds(30));
        System.out.printf("scenario 3: %s stopped %.1f s after SIGTERM%n", node.nodeId(), (System.nanoTime() - stopping) / 1e9);
        assertThat(slow.get(15, TimeUnit.SECONDS).status()).as("request in flight at SIGTERM").isEqualTo(200);
        int code = recorder.closeCode.get(10, TimeUnit.SECONDS);

        node.start();
        node.awaitReady(SystemHarness.NODE_START);
        return code;
    }
}
