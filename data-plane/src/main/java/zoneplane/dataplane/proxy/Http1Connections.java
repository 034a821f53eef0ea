package zoneplane.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import reactor.netty.NettyPipeline;
import zoneplane.dataplane.guard.BrokenBodyGuard;
import zoneplane.dataplane.guard.SlowClientGuard;
import zoneplane.dataplane.management.EdgeMetrics;
import zoneplane.dataplane.origin.OriginPool;
import zoneplane.dataplane.setting.ConnectionSetup;
import zoneplane.dataplane.usage.ExchangeHook;

/**
 * Equips each visitor connection that speaks HTTP/1.1 with the edge's own handlers: the
 * {@link SlowClientGuard} and, unless disabled, the plain HTTP/1.1 path ({@link VisitorConnection}).
 * For {@code HttpServer.doOnChannelInit}, which runs once Reactor Netty has built a new connection's
 * pipeline and before its first byte: a cleartext connection starts as HTTP/1.1 (and may still turn to
 * h2c, which both handlers then leave alone); a TLS connection is equipped once its handshake has
 * chosen the protocol (ALPN), and only if that is HTTP/1.1. HTTP/2 connections are Reactor Netty's.
 */
public final class Http1Connections implements ConnectionSetup {

    static final String AFTER_HANDSHAKE_HANDLER = "zoneplane.afterHandshake";

    private final SlowClientGuard slowClients;
    private final Http1Exchange.Context plainPath;
    private final ExchangeHook hook;

    /** @param plainPath what the plain HTTP/1.1 path's exchanges share, or null to leave every request to Reactor Netty */
    Http1Connections(SlowClientGuard slowClients, Http1Exchange.Context plainPath, ExchangeHook hook) {
        this.slowClients = slowClients;
        this.plainPath = plainPath;
        this.hook = hook;
    }

    /**
     * @param plainPath whether ordinary HTTP/1.1 requests take the plain Netty path
     * @param inFlight the node's count of requests in progress (for draining)
     * @param draining whether the node is shutting down (plain-path responses then close their connection)
     * @param hook usage accounting's hook (it splits received bytes between pipelined requests)
     */
    public static Http1Connections of(SlowClientGuard slowClients, boolean plainPath, EdgeProxy proxy, OriginPool pool,
            EdgeMetrics metrics, LongAdder inFlight, boolean accessLog, BooleanSupplier draining, ExchangeHook hook) {
        return new Http1Connections(slowClients,
                plainPath ? new Http1Exchange.Context(proxy, pool, metrics, inFlight, accessLog, draining) : null, hook);
    }

    @Override
    public void install(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
            equip(pipeline);
        } else if (pipeline.get(NettyPipeline.SslHandler) != null && pipeline.get(NettyPipeline.ReactiveBridge) != null) {
            pipeline.addBefore(NettyPipeline.ReactiveBridge, AFTER_HANDSHAKE_HANDLER, new AfterHandshake());
        }
    }

    private void equip(ChannelPipeline pipeline) {
        if (slowClients.guards(pipeline)) {
            return;
        }
        slowClients.guard(pipeline);
        hook.installRequestBoundaries(pipeline); // pipelined requests each count their own bytes
        if (plainPath != null) {
            boolean tls = pipeline.get(NettyPipeline.SslHandler) != null;
            pipeline.addBefore(NettyPipeline.HttpTrafficHandler, VisitorConnection.NAME,
                    new VisitorConnection(plainPath, tls));
        }
        // After the plain path: it sees only what goes to Reactor Netty (which ends a body on a broken chunk).
        pipeline.addBefore(NettyPipeline.HttpTrafficHandler, BrokenBodyGuard.NAME,
                new BrokenBodyGuard());
    }

    /**
     * Waits for the TLS handshake: by the time its completion event gets here, ALPN has built the HTTP/1.1
     * or HTTP/2 pipeline. (The handshake itself is bounded by Reactor Netty's handshake timeout.)
     */
    private final class AfterHandshake extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent) {
                ChannelPipeline pipeline = ctx.pipeline();
                pipeline.remove(this);
                ctx.fireUserEventTriggered(evt);
                if (((SslHandshakeCompletionEvent) evt).isSuccess() && ctx.channel().isActive()
                        && pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
                    equip(pipeline);
                }
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
