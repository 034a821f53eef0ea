package zoneplane.dataplane.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zoneplane.dataplane.support.ScriptedOrigin;

/**
 * The two clocks of a pooled origin connection ({@link OriginConnection}): idle in the pool it is closed
 * after {@code maxIdle}, but a connection in steady use is never closed for idleness; while a response is
 * awaited, a silence longer than the response timeout fails the call.
 */
class OriginConnectionClocksTest {

    static OriginPool pool;
    static PoolFront front;

    @BeforeAll
    static void start() {
        pool = new OriginPool(List.of(), Duration.ofSeconds(2), Duration.ofMillis(700), Duration.ofMillis(400), 65536,
                OriginPool.defaultTls(), true, OriginObserver.NONE);
        front = new PoolFront(pool);
    }

    @AfterAll
    static void stop() {
        front.close();
        pool.close();
    }

    private static HttpResponse<String> via(ScriptedOrigin origin, String path) throws Exception {
        return front.get(origin.url(), path);
    }

    /** Answers every request on a connection; counts connections the edge closed. */
    private static ScriptedOrigin answering(AtomicInteger closedByEdge, long delayMillis) throws IOException {
        ScriptedOrigin[] self = new ScriptedOrigin[1];
        self[0] = new ScriptedOrigin((socket, connection) -> {
            InputStream in = socket.getInputStream();
            while (self[0].readHead(in) != null) {
                pause(delayMillis);
                ScriptedOrigin.write(socket.getOutputStream(), ScriptedOrigin.ok("ok"));
            }
            closedByEdge.incrementAndGet();
        });
        return self[0];
    }

    @Test
    void aConnectionIdleInThePoolLongerThanMaxIdleIsClosed() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        try (ScriptedOrigin origin = answering(closed, 0)) {
            assertThat(via(origin, "/first").statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(3)).until(() -> closed.get() == 1);
            assertThat(via(origin, "/second").statusCode()).isEqualTo(200);
            assertThat(origin.connections()).isEqualTo(2);
        }
    }

    @Test
    void aConnectionInSteadyUseOutlivesMaxIdle() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        try (ScriptedOrigin origin = answering(closed, 0)) {
            for (int i = 0; i < 12; i++) { // 1.2 s of use, three times maxIdle
                assertThat(via(origin, "/" + i).statusCode()).isEqualTo(200);
                pause(100);
            }
            assertThat(origin.connections()).isEqualTo(1);
            assertThat(closed.get()).isZero();
        }
    }

    @Test
    void anOriginSilentLongerThanTheResponseTimeoutFailsTheCall() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        try (ScriptedOrigin origin = answering(closed, 1_500)) {
            long started = System.nanoTime();
            HttpResponse<String> response = via(origin, "/slow");

            // 502 ReadTimeout proves the 700 ms clock fired: the origin's own answer (at 1.5 s) would be a 200.
            // Only the lower bound is timed (never early); an upper one failed on a loaded machine.
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("ReadTimeout");
            assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(600L);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
