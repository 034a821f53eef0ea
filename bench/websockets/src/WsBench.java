import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * The two ends of the concurrent-WebSockets benchmark, each run in its own JVM (the data-plane node
 * in between is a third):
 *
 * <ul>
 *   <li>{@code origin addr...}: a WebSocket echo server on each given loopback address (port 0);
 *       prints {@code ORIGIN <addr> <port>} per address, then runs until killed.
 *   <li>{@code clients nodePort total rampSeconds holdSeconds heartbeatSeconds host...}: opens
 *       {@code total} WebSockets through the node, spread round-robin over the given Host names, at
 *       most 256 handshakes in flight; each sends a text heartbeat every {@code heartbeatSeconds}
 *       (random phase) and counts the echoes. Once the ramp is done it prints {@code RAMPED ...},
 *       holds for {@code holdSeconds} printing {@code OPEN n} every 5 s, stops the heartbeats, waits
 *       (at most 15 s) for their echoes, closes everything with 1000 and prints
 *       {@code RESULT key=value...}. Connections that close before the end are counted.
 * </ul>
 */
public final class WsBench {

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("origin")) {
            origin(List.of(args).subList(1, args.length));
        } else if (args.length >= 7 && args[0].equals("clients")) {
            clients(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), List.of(args).subList(6, args.length));
        } else {
            System.err.println("usage: WsBench origin addr... | WsBench clients nodePort total rampSeconds holdSeconds heartbeatSeconds host...");
            System.exit(2);
        }
    }

    private static void origin(List<String> addresses) throws InterruptedException {
        List<DisposableServer> servers = new ArrayList<>();
        for (String address : addresses) {
            DisposableServer server = HttpServer.create()
                    .bindAddress(() -> new InetSocketAddress(address, 0))
                    .handle((req, res) -> res.sendWebsocket((in, out) -> out.send(in.receive().retain())))
                    .bindNow();
            servers.add(server);
            System.out.println("ORIGIN " + address + " " + ((InetSocketAddress) server.address()).getPort());
        }
        System.out.flush();
        servers.get(0).onDispose().block();
    }

    private static void clients(int nodePort, int total, int rampSeconds, int holdSeconds, int heartbeatSeconds,
            List<String> hosts) throws InterruptedException {
        if (total < 1 || total > 100_000 || holdSeconds < 1 || holdSeconds > 3600 || heartbeatSeconds < 1 || rampSeconds < 1) {
            System.err.println("need total 1..100000, holdSeconds 1..3600, heartbeatSeconds >= 1, rampSeconds >= 1");
            System.exit(2);
        }
        AtomicInteger open = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger closedEarly = new AtomicInteger();
        AtomicLong heartbeats = new AtomicLong();
        AtomicLong echoes = new AtomicLong();
        AtomicLong firstFailureLogged = new AtomicLong();
        // Two-step stop: heartbeats stop first, so every heartbeat can be echoed, then the WebSockets close.
        Sinks.Empty<Void> stopBeats = Sinks.empty();
        Mono<Void> stopBeatsSignal = stopBeats.asMono().cache();
        Sinks.Empty<Void> stop = Sinks.empty();
        Mono<Void> stopSignal = stop.asMono().cache();
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        // One connection per WebSocket, never pooled: a held WebSocket owns its connection.
        HttpClient client = HttpClient.create(ConnectionProvider.newConnection())
                .responseTimeout(Duration.ofSeconds(30));
        Duration period = Duration.ofSeconds(heartbeatSeconds);
        long rampStart = System.nanoTime();
        Mono<Void> ramp = Flux.range(0, total)
                .flatMap(i -> {
                    String host = hosts.get(i % hosts.size());
                    // Completes with true once this WebSocket is open, false if its handshake failed: the
                    // ramp waits for that, while the session itself runs on until the stop signal.
                    Sinks.One<Boolean> ready = Sinks.one();
                    client.headers(h -> h.set(HttpHeaderNames.HOST, host))
                            .websocket()
                            .uri("ws://127.0.0.1:" + nodePort + "/hold/" + i) // Host names the zone
                            .handle((in, out) -> {
                                open.incrementAndGet();
                                opened.incrementAndGet();
                                in.withConnection(c -> c.onDispose(() -> {
                                    open.decrementAndGet();
                                    if (!stopping.get()) {
                                        closedEarly.incrementAndGet();
                                    }
                                }));
                                ready.tryEmitValue(true);
                                Duration phase = Duration.ofMillis(ThreadLocalRandom.current().nextLong(period.toMillis()));
                                Flux<String> beats = Flux.interval(phase, period)
                                        .map(n -> "hb")
                                        .doOnNext(s -> heartbeats.incrementAndGet())
                                        .takeUntilOther(stopBeatsSignal);
                                Mono<Void> receive = in.receive().doOnNext(b -> echoes.incrementAndGet()).then();
                                Mono<Void> send = out.sendString(beats).then()
                                        .then(stopSignal)
                                        .then(Mono.defer(() -> out.sendClose(1000, "bench done")));
                                return Mono.when(receive, send);
                            })
                            .then()
                            .subscribe(null, e -> {
                                if (ready.tryEmitValue(false).isSuccess()) {
                                    failed.incrementAndGet();
                                    if (firstFailureLogged.getAndIncrement() < 5) {
                                        System.err.println("websocket " + i + " failed: " + e);
                                    }
                                }
                            }, () -> ready.tryEmitValue(false));
                    return ready.asMono().timeout(Duration.ofSeconds(60), Mono.just(false));
                }, 256)
                .then();
        ramp.block(Duration.ofSeconds(rampSeconds + 120L));
        System.out.printf(Locale.ROOT, "RAMPED open=%d failed=%d seconds=%.1f%n", open.get(), total - opened.get(),
                (System.nanoTime() - rampStart) / 1e9);
        System.out.flush();
        int minOpen = open.get();
        long holdEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(holdSeconds);
        while (System.nanoTime() < holdEnd) {
            Thread.sleep(Math.min(5_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(holdEnd - System.nanoTime()))));
            minOpen = Math.min(minOpen, open.get());
            System.out.println("OPEN " + open.get());
            System.out.flush();
        }
        int openAtEnd = open.get();
        stopBeats.tryEmitEmpty();
        long echoDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (echoes.get() < heartbeats.get() && System.nanoTime() < echoDeadline) {
            Thread.sleep(50);
        }
        stopping.set(true);
        stop.tryEmitEmpty();
        long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (open.get() > 0 && System.nanoTime() < closeDeadline) {
            Thread.sleep(100);
        }
        System.out.printf(Locale.ROOT,
                "RESULT requested=%d opened=%d failed=%d open_at_end=%d min_open_during_hold=%d closed_early=%d heartbeats=%d echoes=%d still_open_after_close=%d%n",
                total, opened.get(), total - opened.get(), openAtEnd, minOpen, closedEarly.get(), heartbeats.get(),
                echoes.get(), open.get());
        System.out.flush();
        System.exit(0);
    }
}
