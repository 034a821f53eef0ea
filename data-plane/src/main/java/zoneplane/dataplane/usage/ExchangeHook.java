package zoneplane.dataplane.usage;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerRequest;
import zoneplane.dataplane.geo.CountryDatabase;
import zoneplane.dataplane.geo.TorExitNodes;
import zoneplane.dataplane.setting.IpGeolocationTransform;

/**
 * The edge's one per-exchange hook (issues 22 and 23): the request paths open an {@link ExchangeTrace}
 * per exchange, and when it ends the hook hands one {@link ExchangeRecord} to each listener. Without a
 * listener nothing is traced, counted or built: {@link #begin} returns {@link ExchangeTrace#OFF} and no
 * counter joins a pipeline.
 *
 * <p>Listeners are called on the visitor connection's event loop (a trace ending elsewhere, such as a
 * WebSocket torn down on a timer thread, is handed to that loop first). Immutable and thread-safe.
 */
public final class ExchangeHook {

    private final List<ExchangeListener> listeners;
    private final Clock clock;
    private final String nodeId;
    private final CountryDatabase countries;
    private final TorExitNodes torExits;

    public ExchangeHook(List<ExchangeListener> listeners, Clock clock, String nodeId, CountryDatabase countries,
            TorExitNodes torExits) {
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
        this.nodeId = nodeId;
        this.countries = countries;
        this.torExits = torExits;
    }

    /** Whether any listener hears exchanges. */
    public boolean active() {
        return !listeners.isEmpty();
    }

    /**
     * Adds the byte counter to a new visitor connection (for {@code HttpServer.doOnChannelInit}): after TLS,
     * so it counts HTTP bytes, not TLS records; after a PROXY protocol reader, whose header is no request's.
     */
    public void install(Channel connection) {
        if (!active()) {
            return;
        }
        ChannelPipeline pipeline = connection.pipeline();
        if (pipeline.get(WireCounter.NAME) != null) {
            return;
        }
        if (pipeline.get(NettyPipeline.SslHandler) != null) {
            pipeline.addAfter(NettyPipeline.SslHandler, WireCounter.NAME, new WireCounter.Connection());
        } else if (pipeline.get(NettyPipeline.ProxyProtocolReader) != null) {
            pipeline.addAfter(NettyPipeline.ProxyProtocolReader, WireCounter.NAME, new WireCounter.Connection());
        } else {
            pipeline.addFirst(WireCounter.NAME, new WireCounter.Connection());
        }
    }

    /**
     * Once the connection's HTTP/1.x codec is in place (for {@code Http1Connections}): lets its counter
     * split the received bytes between pipelined requests.
     */
    public void installRequestBoundaries(ChannelPipeline pipeline) {
        if (active() && pipeline.get(WireCounter.NAME) instanceof WireCounter.Connection counter) {
            counter.splitRequests(pipeline);
        }
    }

    /** Adds a stream counter to an HTTP/2 stream (for {@code HttpServer.doOnConnection}); other connections pass. */
    public void installStream(Connection connection) {
        if (active() && connection.channel() instanceof Http2StreamChannel stream
                && stream.pipeline().get(WireCounter.NAME) == null) {
            StreamWireCounter counter = new StreamWireCounter();
            if (connection instanceof HttpServerRequest request) {
                // The request's HEADERS frame was read before the stream reached the server's handlers.
                counter.requestHead(request);
            }
            stream.pipeline().addFirst(WireCounter.NAME, counter);
        }
    }

    /** Starts tracing one exchange on {@code visitorChannel} (an HTTP/2 stream, or the HTTP/1.x connection). */
    public ExchangeTrace begin(Channel visitorChannel, boolean tls, String ray) {
        return active() ? new ExchangeTrace(this, visitorChannel, tls, ray, clock.instant(), System.nanoTime())
                : ExchangeTrace.OFF;
    }

    /** What {@code CF-IPCountry} would carry for {@code visitor}, whether the zone has ip_geolocation on or not. */
    String country(InetAddress visitor) {
        if (visitor == null) {
            return "XX";
        }
        return torExits.isExit(visitor) ? IpGeolocationTransform.TOR : countries.countryOf(visitor);
    }

    Clock clock() {
        return clock;
    }

    String nodeId() {
        return nodeId;
    }

    /** Runs {@code task} on {@code channel}'s event loop (now, when already there). */
    static void onLoop(Channel channel, Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    void ended(ExchangeRecord record) {
        for (ExchangeListener listener : listeners) {
            listener.exchangeEnded(record);
        }
    }

    void opened(ExchangeRecord upgrade, WireCounter flow) {
        for (ExchangeListener listener : listeners) {
            listener.webSocketOpened(upgrade, flow);
        }
    }

    @Override
    public String toString() {
        return "ExchangeHook{node=" + nodeId + ", listeners=" + listeners + "}";
    }
}
