import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * WebSocket message round trips, closed loop: opens {@code connections} WebSockets to 127.0.0.1:{@code
 * port} (Host {@code host}, at most 256 handshakes in flight), and on each sends a text message of
 * {@code payloadBytes}, waits for its echo, sends the next. From when the last WebSocket opened it
 * waits {@code warmupSeconds}, then measures {@code seconds} and prints
 * {@code RESULT opened=… failed=… round_trips=… round_trips_per_s=… p50_ms=… p99_ms=… p999_ms=… max_ms=… closed_early=…}
 * (round-trip times from send to echo, HdrHistogram). Then every WebSocket closes with 1000.
 *
 * <p>Usage: {@code WsRoundTrips port host connections seconds warmupSeconds payloadBytes}
 */
public final class WsRoundTrips {

    private final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private final AtomicLong roundTrips = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger closedEarly = new AtomicInteger();
    private volatile boolean running = true;
    private final String message;

    private WsRoundTrips(String message) {
        this.message = message;
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 6) {
            System.err.println("usage: WsRoundTrips port host connections seconds warmupSeconds payloadBytes");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int payload = Integer.parseInt(args[5]);
        if (connections < 1 || connections > 20_000 || seconds < 1 || seconds > 600 || warmup < 0 || warmup > 300
                || payload < 1 || payload > 65_536) {
            System.err.println("need connections 1..20000, seconds 1..600, warmup 0..300, payloadBytes 1..65536");
            System.exit(2);
        }
        new WsRoundTrips("x".repeat(payload)).run(port, args[1], connections, seconds, warmup);
    }

    private void run(int port, String host, int connections, int seconds, int warmup) throws InterruptedException {
        HttpClient client = HttpClient.create(ConnectionProvider.newConnection())
                .responseTimeout(Duration.ofSeconds(30))
                .headers(h -> h.set(HttpHeaderNames.HOST, host));
        Flux.range(0, connections)
                .flatMap(i -> open(client, port, i), 256)
                .then()
                .block(Duration.ofSeconds(300));
        System.err.printf(Locale.ROOT, "opened %d of %d (%d failed)%n", opened.get(), connections, failed.get());
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
        latency.getIntervalHistogram(); // discards the ramp and the warm-up
        long before = roundTrips.get();
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        long measured = roundTrips.get() - before;
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram histogram = latency.getIntervalHistogram();
        int closedDuringRun = closedEarly.get();
        running = false;
        long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (open.get() > 0 && System.nanoTime() < closeDeadline) {
            Thread.sleep(100);
        }
        System.out.printf(Locale.ROOT,
                "RESULT opened=%d failed=%d round_trips=%d round_trips_per_s=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f closed_early=%d still_open=%d%n",
                opened.get(), failed.get(), measured, measured / elapsed, histogram.getValueAtPercentile(50) / 1e6,
                histogram.getValueAtPercentile(99) / 1e6, histogram.getValueAtPercentile(99.9) / 1e6,
                histogram.getMaxValue() / 1e6, closedDuringRun, open.get());
        System.out.flush();
        System.exit(0);
    }

    /** Opens WebSocket {@code i} and runs its send-echo loop; completes once it is open (or failed). */
    private Mono<Boolean> open(HttpClient client, int port, int i) {
        Sinks.One<Boolean> ready = Sinks.one();
        client.websocket()
                .uri("ws://127.0.0.1:" + port + "/rtt/" + i)
                .handle((in, out) -> {
                    open.incrementAndGet();
                    opened.incrementAndGet();
                    in.withConnection(c -> c.onDispose(() -> {
                        open.decrementAndGet();
                        if (running) {
                            closedEarly.incrementAndGet();
                        }
                    }));
                    ready.tryEmitValue(true);
                    // One message in flight: the next is sent from the echo of the previous (the event loop).
                    Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
                    long[] sentAt = {System.nanoTime()};
                    Mono<Void> receive = in.receive().doOnNext(echo -> {
                        long now = System.nanoTime();
                        latency.recordValue(Math.min(now - sentAt[0], TimeUnit.SECONDS.toNanos(60)));
                        roundTrips.incrementAndGet();
                        if (running) {
                            sentAt[0] = System.nanoTime();
                            outbound.tryEmitNext(message);
                        } else {
                            outbound.tryEmitComplete();
                        }
                    }).then();
                    outbound.tryEmitNext(message);
                    Mono<Void> send = out.sendString(outbound.asFlux()).then()
                            .then(Mono.defer(() -> out.sendClose(1000, "bench done")));
                    return Mono.when(receive, send);
                })
                .then()
                .subscribe(null, e -> {
                    if (ready.tryEmitValue(false).isSuccess()) {
                        if (failed.getAndIncrement() < 3) {
                            System.err.println("websocket " + i + " failed: " + e);
                        }
                    }
                }, () -> ready.tryEmitValue(false));
        return ready.asMono().timeout(Duration.ofSeconds(60), Mono.just(false));
    }
}
