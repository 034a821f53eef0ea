package zoneplane.dataplane.websocket;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * One proxied WebSocket: the visitor's connection, the origin's, and what they hold (the zone's slot,
 * the gauge). Whatever ends it first runs the one teardown, exactly once:
 * <ul>
 *   <li>a close frame from either side: its code goes to the other side (1005/1006/1015 become 1001
 *       towards the origin, 1011 towards the visitor);</li>
 *   <li>either TCP connection ending without one (FIN, RST, an error): the origin gets 1001, the
 *       visitor 1011 "origin connection lost";</li>
 *   <li>the plan's idle timeout (a silent or half-open visitor included) or the node shutting down:
 *       both sides get the code ({@code 1001}).</li>
 * </ul>
 * The teardown sends each side still connected its close frame (Reactor Netty closes a connection
 * once its close frame is written), waits until both connections are closed, forcing them after
 * {@link #CLOSE_GRACE} (a visitor that no longer reads cannot hold them), and only then gives back the
 * zone's slot and decrements the gauge ({@code release}), so a slot is never free while its origin
 * connection is still open.
 *
 * <p>Before 2026-12-07 the proxy waited for both directions' streams to end: a visitor that dropped TCP
 * without a close frame ended only its own direction, so the origin connection, the slot and the gauge
 * stayed taken forever (issue 19 item 2). Thread-safe: the two connections run on different loops.
 */
final class WebSocketSession {

    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    static final int INTERNAL_ERROR = WebSocketCloseStatus.INTERNAL_SERVER_ERROR.code();
    static final int GOING_AWAY = WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code();

    private final WebsocketOutbound visitor;
    private final WebsocketOutbound origin;
    private final Channel visitorChannel;
    private final Channel originChannel;
    private final Runnable release;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Whether a close frame (either side's, or the edge's own) ended it, not a lost connection. */
    private volatile boolean closedCleanly;
    private final Sinks.Empty<Void> done = Sinks.empty();

    /** @param release gives back the slot and decrements the gauge; run once, when both connections are closed */
    WebSocketSession(WebsocketInbound visitorIn, WebsocketOutbound visitorOut, WebsocketInbound originIn,
            WebsocketOutbound originOut, Runnable release) {
        this.visitor = visitorOut;
        this.origin = originOut;
        this.visitorChannel = channelOf(visitorIn);
        this.originChannel = channelOf(originIn);
        this.release = release;
    }

    /** Watches both sides from now on: their close frames and the end of their connections. */
    void start(WebsocketInbound visitorIn, WebsocketInbound originIn) {
        // receiveCloseStatus() gives the peer's close code (or the one the edge sent first) and completes
        // empty when the connection ends without one; the close futures catch a FIN or RST either way.
        visitorIn.receiveCloseStatus().subscribe(this::visitorClosed, e -> visitorLost(), this::visitorLost);
        originIn.receiveCloseStatus().subscribe(this::originClosed, e -> originLost(), this::originLost);
        visitorChannel.closeFuture().addListener(f -> visitorLost());
        originChannel.closeFuture().addListener(f -> originLost());
    }

    /** Completes when the teardown has closed both connections. */
    Mono<Void> done() {
        return done.asMono();
    }

    boolean ended() {
        return ended.get();
    }

    /** Whether the session ended with a close frame (usage counts it as a normal close), not a lost connection. */
    boolean closedCleanly() {
        return closedCleanly;
    }

    /** Closes both sides with {@code code} (idle timeout, shutdown); completes when both are closed. */
    Mono<Void> close(int code, String reason) {
        end(code, reason, code, reason, true);
        return done();
    }

    private void visitorClosed(WebSocketCloseStatus status) {
        int code = passable(status, GOING_AWAY);
        end(code, status.reasonText(), code, status.reasonText(), true);
    }

    private void visitorLost() {
        end(GOING_AWAY, "", GOING_AWAY, "visitor went away", false);
    }

    private void originClosed(WebSocketCloseStatus status) {
        int code = passable(status, INTERNAL_ERROR);
        end(code, status.reasonText(), code, status.reasonText(), true);
    }

    private void originLost() {
        end(INTERNAL_ERROR, "origin connection lost", GOING_AWAY, "", false);
    }

    private void end(int toVisitor, String visitorReason, int toOrigin, String originReason, boolean clean) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        closedCleanly = clean;
        // Reactor Netty closes a connection once its close frame is written (ours, or its echo of the
        // peer's); the grace bounds a side that never takes the frame (a visitor that stopped reading).
        sendClose(visitor, visitorChannel, toVisitor, visitorReason);
        sendClose(origin, originChannel, toOrigin, originReason);
        Mono.when(closed(visitorChannel), closed(originChannel))
                .timeout(CLOSE_GRACE, Mono.empty())
                .onErrorResume(e -> Mono.empty())
                .doFinally(signal -> {
                    visitorChannel.close();
                    originChannel.close();
                    release.run();
                    done.tryEmitEmpty();
                })
                .subscribe();
    }

    private static Mono<Void> closed(Channel channel) {
        Sinks.Empty<Void> closed = Sinks.empty();
        channel.closeFuture().addListener(f -> closed.tryEmitEmpty());
        return closed.asMono();
    }

    /** A close frame to a side still connected (a no-op when that side's close frame was already sent). */
    private static void sendClose(WebsocketOutbound out, Channel channel, int code, String reason) {
        if (channel.isActive()) {
            out.sendClose(code, reason).subscribe(null, e -> channel.close());
        }
    }

    /**
     * A close code that may be sent on the wire: 1005/1006/1015 only describe what a peer saw, so an
     * abnormal end on one side becomes {@code fallback} (1011 towards the visitor, 1001 towards the origin).
     */
    static int passable(WebSocketCloseStatus status, int fallback) {
        int code = status.code();
        return code == 1005 || code == 1006 || code == 1015 || code < 1000 ? fallback : code;
    }

    private static Channel channelOf(WebsocketInbound in) {
        Channel[] channel = new Channel[1];
        in.withConnection(c -> channel[0] = c.channel());
        return channel[0];
    }
}
