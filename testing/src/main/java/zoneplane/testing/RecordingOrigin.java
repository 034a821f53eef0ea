package zoneplane.testing;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * The origin behind every zone: a real Reactor Netty server on 127.0.0.1 that answers each request
 * with the request headers it received ({@code name: value} lines, names lower-cased), so a visitor
 * sees exactly what the edge sent upstream, and remembers every {@code X-Test-Id} it saw (to prove
 * a rejected request never reached it). {@code ?delay=<ms>} answers late (in-flight requests during a
 * drain); {@code /ws} is a WebSocket echo. Thread-safe.
 */
public final class RecordingOrigin implements AutoCloseable {

    /** The request header whose value names a test request (see {@link #saw} and {@link #headersOf}). */
    public static final String TEST_ID = "x-test-id";

    private final DisposableServer server;
    private final Set<String> seenIds = ConcurrentHashMap.newKeySet();
    private final Map<String, String> seenPaths = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> seenHeaders = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    public RecordingOrigin() {
        server = HttpServer.create()
                .bindAddress(() -> new InetSocketAddress("127.0.0.1", 0))
                .handle(this::handle)
                .bindNow(Duration.ofSeconds(10));
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public boolean saw(String testId) {
        return seenIds.contains(testId);
    }

    /** Every request path the origin received, by test id (a smuggled request would show up here). */
    public Map<String, String> paths() {
        return Map.copyOf(seenPaths);
    }

    /**
     * The headers of the request with this test id as they reached the origin (names lower-cased;
     * a repeated header's last value), empty if none did.
     */
    public Map<String, String> headersOf(String testId) {
        return seenHeaders.getOrDefault(testId, Map.of());
    }

    public long requestCount() {
        return requests.get();
    }

    private Mono<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        requests.incrementAndGet();
        String id = req.requestHeaders().get(TEST_ID);
        if (id != null) {
            seenIds.add(id);
            seenPaths.put(id, req.uri());
            Map<String, String> headers = new HashMap<>();
            req.requestHeaders().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            seenHeaders.put(id, Map.copyOf(headers));
        }
        if (req.uri().startsWith("/ws") && req.requestHeaders().contains(HttpHeaderNames.UPGRADE)) {
            return res.sendWebsocket(this::echo, WebsocketServerSpec.builder().maxFramePayloadLength(32 << 20).build());
        }
        StringBuilder echo = new StringBuilder();
        req.requestHeaders().forEach(h -> echo.append(h.getKey().toLowerCase(Locale.ROOT)).append(": ")
                .append(h.getValue()).append('\n'));
        long delay = delayMillis(req.uri());
        return req.receive().map(ByteBuf::readableBytes).reduce(0L, Long::sum).defaultIfEmpty(0L)
                .delayElement(Duration.ofMillis(delay))
                .flatMap(bytes -> res.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                        .sendString(Mono.just(echo.append("body-bytes: ").append(bytes).append('\n').toString()))
                        .then());
    }

    private static long delayMillis(String uri) {
        List<String> delay = new QueryStringDecoder(uri).parameters().get("delay");
        return delay == null || delay.isEmpty() ? 0 : Long.parseLong(delay.get(0));
    }

    private Mono<Void> echo(WebsocketInbound in, WebsocketOutbound out) {
        return out.sendObject(in.receiveFrames()
                .filter(f -> f instanceof TextWebSocketFrame || f instanceof BinaryWebSocketFrame)
                .map(WebSocketFrame::retain))
                .then();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
