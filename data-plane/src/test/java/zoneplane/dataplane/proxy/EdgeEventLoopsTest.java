package zoneplane.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.config.EventLoopSettings;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.dataplane.support.Zones;

/**
 * The node runs on its own event loops ({@code ZONEPLANE_EVENT_LOOPS}, optionally busy-polling), seen
 * from outside: the threads that exist, requests served through real sockets, and timers that still
 * fire while a loop never sleeps.
 */
class EdgeEventLoopsTest {

    @RegisterExtension
    static ProxyExtension threeLoops = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build()))
            .env(DataPlaneConfigLoader.NODE_ID, "LOOPS3")
            .env(DataPlaneConfigLoader.EVENT_LOOPS, "3");

    @RegisterExtension
    static ProxyExtension busyPolling = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build()))
            .env(DataPlaneConfigLoader.NODE_ID, "BUSY1")
            .env(DataPlaneConfigLoader.EVENT_LOOPS, "1")
            .env(DataPlaneConfigLoader.BUSY_POLL, "true")
            .env(DataPlaneConfigLoader.REQUEST_HEADER_TIMEOUT, "1s");

    @Test
    void connectionsAreSpreadOverExactlyTheConfiguredLoops() {
        // Each new connection is registered with the next loop: six connections start all three.
        for (int i = 0; i < 6; i++) {
            assertThat(RawHttp.exchange("127.0.0.1", threeLoops.httpPort(), "GET /" + i + " HTTP/1.1\r\nHost: a.test\r\n\r\n"))
                    .startsWith("HTTP/1.1 200 ");
        }
        assertThat(loopThreads("LOOPS3")).hasSize(3);
        assertThat(threeLoops.origin().requests()).extracting(r -> r.uri()).contains("/0", "/1", "/2", "/3", "/4", "/5");
    }

    @Test
    void aBusyPollingLoopServesRequestsAndStillRunsItsTimers() {
        HttpResponse<String> served = busyPolling.get("a.test", "/busy");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(loopThreads("BUSY1")).hasSize(1);

        // A head that never completes is answered 408 by a scheduled check: the loop must run it even
        // though it never blocks waiting for I/O.
        long started = System.nanoTime();
        String answer = RawHttp.exchange("127.0.0.1", busyPolling.httpPort(), "GET /never HTTP/1.1\r\nHost: a.test\r\n");
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(answer).startsWith("HTTP/1.1 408 ");
        assertThat(elapsed).isBetween(900L, 3_000L);
        assertThat(busyPolling.origin().requests()).extracting(r -> r.uri()).contains("/busy").doesNotContain("/never");
    }

    @Test
    void onlyABusyPollingLoopKeepsItsCoreBusyWhileIdle() throws Exception {
        busyPolling.get("a.test", "/wake");
        threeLoops.get("a.test", "/wake");
        Thread busy = loopThreads("BUSY1").get(0);
        List<Thread> sleeping = loopThreads("LOOPS3");

        // CPU time while idle: a polling loop burns a quarter of a core-second within a few seconds even
        // on a shared, loaded machine; the sleeping loops spend next to none per second meanwhile.
        long[] before = cpuNanos(busy, sleeping);
        long started = System.nanoTime();
        long[] after = before;
        while (after[0] - before[0] <= TimeUnit.MILLISECONDS.toNanos(250)
                && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5)) {
            Thread.sleep(100);
            after = cpuNanos(busy, sleeping);
        }
        double seconds = Math.max(1.0, (System.nanoTime() - started) / 1e9);

        assertThat(after[0] - before[0]).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(250));
        assertThat((after[1] - before[1]) / seconds).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
    }

    /** CPU time of {@code busy}, and the sum over {@code others}. */
    private static long[] cpuNanos(Thread busy, List<Thread> others) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread thread : others) {
            sum += threads.getThreadCpuTime(thread.getId());
        }
        return new long[] {threads.getThreadCpuTime(busy.getId()), sum};
    }

    @Test
    void aClientConnectionOpenedFromALoopStaysOnThatLoop() throws Exception {
        // WebSocket and gRPC origin connections are opened from the visitor's loop: colocated, both
        // sides of one exchange run on one thread (Reactor Netty's own default resources do the same).
        EdgeEventLoops loops = new EdgeEventLoops("COLOC", new EventLoopSettings(2, false));
        try {
            List<Boolean> sameLoop = new CopyOnWriteArrayList<>();
            CountDownLatch checked = new CountDownLatch(2);
            loops.onServer(true).forEach(loop -> loop.execute(() -> {
                for (int i = 0; i < 4; i++) {
                    sameLoop.add(loops.onClient(true).next().inEventLoop());
                }
                checked.countDown();
            }));
            assertThat(checked.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(sameLoop).hasSize(8).containsOnly(true);
        } finally {
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(5));
        }
    }

    @Test
    void disposingTheLoopsStopsTheirThreads() throws Exception {
        EdgeEventLoops loops = new EdgeEventLoops("DISPOSE", new EventLoopSettings(2, true));
        CountDownLatch ran = new CountDownLatch(2);
        loops.onServer(true).forEach(executor -> executor.execute(ran::countDown));
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(loopThreads("DISPOSE")).hasSize(2);

        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(5));

        assertThat(loops.isDisposed()).isTrue();
        for (Thread thread : loopThreads("DISPOSE")) {
            thread.join(5_000);
        }
        assertThat(loopThreads("DISPOSE")).isEmpty();
    }

    private static List<Thread> loopThreads(String nodeId) {
        String prefix = EdgeEventLoops.threadPrefix(nodeId) + "-";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(prefix) && thread.isAlive())
                .toList();
    }
}
