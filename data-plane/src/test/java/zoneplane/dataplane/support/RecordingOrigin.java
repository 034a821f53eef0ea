package zoneplane.dataplane.support;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * A real origin on 127.0.0.1, port 0, HTTP/1.1 and h2c, that records every request it receives.
 * Paths choose behaviour:
 * <ul>
 *   <li>{@code /slow}: answers after 10 s (timeouts)</li>
 *   <li>{@code /big?n=N}: answers N bytes</li>
 *   <li>{@code /discard}: counts the body without keeping it, answers {@code ok <bytes>}</li>
 *   <li>{@code /ws…} with an upgrade: WebSocket echo; message {@code close:<code>} makes it close with that
 *       code, {@code die} drops the TCP connection without a close frame</li>
 *   <li>anything else: reads the body and answers 200 {@code ok <bytes>}, with headers {@code X-Origin: yes},
 *       {@code X-Origin-Uri} (the target it answered),
 *       hop-by-hop {@code Connection: X-Private, keep-alive}, {@code X-Private: secret} and a spoofed {@code CF-Ray}</li>
 * </ul>
 */
public final class RecordingOrigin implements AutoCloseable {

    /** Response header naming the target the origin answered, so a visitor can tell its answer from another's. */
    public static final String ORIGIN_URI = "X-Origin-Uri";

    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger webSocketSessions = new AtomicInteger();
    private final AtomicInteger webSocketConnections = new AtomicInteger();
    private final DisposableServer server;

    public RecordingOrigin() {
        this("127.0.0.1");
    }

    public RecordingOrigin(String host) {
        server = HttpServer.create()
                .bindAddress(() -> new InetSocketAddress(host, 0))
                .protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
                // the edge forwards request lines up to 8 KiB; the origin must read what it forwards
                .httpRequestDecoder(spec -> spec.maxInitialLineLength(16 * 1024))
                .handle(this::handle)
                .bindNow();
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public int port() {
        return server.port();
    }

    public List<RecordedRequest> requests() {
        return requests;
    }

    public RecordedRequest last() {
        if (requests.isEmpty()) {
            throw new AssertionError("the origin received no request");
        }
        return requests.get(requests.size() - 1);
    }

    public int webSocketSessions() {
        return webSocketSessions.get();
    }

    /** WebSocket handshakes whose TCP connection is still open (a close frame alone does not count). */
    public int webSocketConnections() {
        return webSocketConnections.get();
    }

    public void clear() {
        requests.clear();
    }

    private Mono<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        HttpHeaders copy = new DefaultHttpHeaders().set(req.requestHeaders());
        String upgrade = req.requestHeaders().get(HttpHeaderNames.UPGRADE);
        if (req.uri().startsWith("/ws") && upgrade != null) {
            requests.add(new RecordedRequest(req.method().name(), req.uri(), req.protocol(), copy, new byte[0],
                    req.remoteAddress()));
            req.withConnection(c -> {
                webSocketConnections.incrementAndGet();
                c.channel().closeFuture().addListener(f -> webSocketConnections.decrementAndGet());
            });
            String protocols = req.requestHeaders().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
            WebsocketServerSpec.Builder spec = WebsocketServerSpec.builder().maxFramePayloadLength(32 * 1024 * 1024);
            if (protocols != null) {
                spec.protocols(protocols.split(",")[0].trim());
            }
            return res.sendWebsocket(this::echo, spec.build());
        }
        if (req.uri().startsWith("/discard")) {
            // Counts a large body without keeping it (upload-limit tests).
            return req.receive().map(ByteBuf::readableBytes).reduce(0L, Long::sum).flatMap(total -> {
                requests.add(new RecordedRequest(req.method().name(), req.uri(), req.protocol(), copy, new byte[0],
                        req.remoteAddress()));
                return res.sendString(Mono.just("ok " + total)).then();
            });
        }
        return req.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap(body -> {
            requests.add(new RecordedRequest(req.method().name(), req.uri(), req.protocol(), copy, body,
                    req.remoteAddress()));
            if (req.uri().startsWith("/slow")) {
                return Mono.delay(Duration.ofSeconds(10)).then(res.sendString(Mono.just("late")).then());
            }
            if (req.uri().startsWith("/big")) {
                int n = Integer.parseInt(req.uri().substring(req.uri().indexOf("n=") + 2));
                return res.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(n))
                        .send(Flux.range(0, (n + 8191) / 8192).map(i -> {
                            int size = Math.min(8192, n - i * 8192);
                            ByteBuf buf = res.alloc().buffer(size);
                            buf.writeBytes(new byte[size]);
                            return buf;
                        }))
                        .then();
            }
            return res.status(HttpResponseStatus.OK)
                    .header("X-Origin", "yes")
                    .header(ORIGIN_URI, req.uri())
                    .header(HttpHeaderNames.CONNECTION, "X-Private, keep-alive")
                    .header("X-Private", "secret")
                    .header("CF-Ray", "spoofed-by-origin")
                    .header("Keep-Alive", "timeout=5")
                    .sendString(Mono.just("ok " + body.length))
                    .then();
        });
    }

    private Mono<Void> echo(WebsocketInbound in, WebsocketOutbound out) {
        webSocketSessions.incrementAndGet();
        return out.sendObject(in.aggregateFrames(32 * 1024 * 1024).receiveFrames()
                        .concatMap(frame -> reply(frame, out)))
                .then()
                .doFinally(s -> webSocketSessions.decrementAndGet());
    }

    private Mono<WebSocketFrame> reply(WebSocketFrame frame, WebsocketOutbound out) {
        if (frame instanceof io.netty.handler.codec.http.websocketx.TextWebSocketFrame text) {
            String message = text.text();
            if (message.startsWith("close:")) {
                int code = Integer.parseInt(message.substring(6));
                return out.sendClose(code, "origin says bye").then(Mono.empty());
            }
            if (message.equals("die")) {
                return Mono.fromRunnable(() -> out.withConnection(c -> c.channel().close())).then(Mono.empty());
            }
        }
        if (frame instanceof io.netty.handler.codec.http.websocketx.CloseWebSocketFrame
                || frame instanceof io.netty.handler.codec.http.websocketx.PingWebSocketFrame
                || frame instanceof io.netty.handler.codec.http.websocketx.PongWebSocketFrame) {
            return Mono.empty();
        }
        return Mono.just(frame.retain());
    }

    public static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(2));
    }
}
