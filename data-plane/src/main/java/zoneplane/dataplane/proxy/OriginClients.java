package zoneplane.dataplane.proxy;

import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramChannel;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import zoneplane.dataplane.config.DataPlaneConfig;
import zoneplane.dataplane.origin.OriginObserver;
import zoneplane.dataplane.origin.OriginPool;
import zoneplane.dataplane.origin.PublicOriginResolvers;
import zoneplane.dataplane.origin.SourceAddresses;

/**
 * How the edge reaches origins: the per-event-loop {@link OriginPool} for ordinary requests, and
 * Reactor Netty clients for WebSocket handshakes (HTTP/1.1) and gRPC (HTTP/2: h2c, or h2 for https
 * origins). With configured source addresses (SPEC §5.4) each has one pool per local address, and a
 * visitor always uses the same one (hash of its address), so one node can hold more than 64k
 * connections to one origin. Unless the node allows private origins, all of them connect only to
 * addresses {@link PublicOriginResolvers} passes. Immutable and thread-safe.
 */
public final class OriginClients implements AutoCloseable {

    /** How long an unused origin connection stays open. */
    private static final Duration IDLE_TIME = Duration.ofSeconds(60);
    /** The largest origin response header block, as browsers and nginx accept by default. */
    private static final int RESPONSE_HEADER_LIMIT = 64 * 1024;

    private final HttpClient[] webSocket;
    private final HttpClient[] http2;
    private final List<ConnectionProvider> providers = new ArrayList<>();
    private final OriginPool pool;
    /** The DNS resolver behind {@link #checked}; both null when private origins are allowed. */
    private final AddressResolverGroup<InetSocketAddress> names;
    private final AddressResolverGroup<InetSocketAddress> checked;

    /**
     * @param loops the node's event loops, which the WebSocket and gRPC clients run on too
     * @param observer hears of the HTTP pool's failed connections and origin response times
     */
    public OriginClients(DataPlaneConfig config, LoopResources loops, OriginObserver observer) {
        this(config, loops, OriginPool.defaultTls(), observer);
    }

    /** @param originTls the TLS client context for https origins (tests trust their own CA with it) */
    public OriginClients(DataPlaneConfig config, LoopResources loops, SslContext originTls, OriginObserver observer) {
        pool = new OriginPool(config.originSourceAddresses(), config.originConnectTimeout(),
                config.originResponseTimeout(), IDLE_TIME, RESPONSE_HEADER_LIMIT, originTls, config.allowPrivateOrigins(),
                observer);
        if (!config.allowPrivateOrigins()) {
            // Reactor Netty's clients resolve with a DNS resolver of the loops' transport; checked the same way
            Class<? extends DatagramChannel> datagrams = loops.onChannelClass(DatagramChannel.class, loops.onClient(true));
            names = new DnsAddressResolverGroup(new DnsNameResolverBuilder().datagramChannelType(datagrams));
            checked = PublicOriginResolvers.checking(names);
        } else {
            names = null;
            checked = null;
        }
        List<InetAddress> sources = config.originSourceAddresses();
        int count = Math.max(1, sources.size());
        webSocket = new HttpClient[count];
        http2 = new HttpClient[count];
        for (int i = 0; i < count; i++) {
            InetAddress source = sources.isEmpty() ? null : sources.get(i);
            // A WebSocket holds its origin connection for its whole life and never gives it back, so a
            // pool would only cap how many can be open: each upgrade gets a connection of its own.
            webSocket[i] = client(config, loops, source, ConnectionProvider.newConnection(), checked)
                    .protocol(HttpProtocol.HTTP11);
            http2[i] = client(config, loops, source, pooled(config, "origin-h2-" + i), checked)
                    .protocol(HttpProtocol.H2C, HttpProtocol.H2);
        }
    }

    private ConnectionProvider pooled(DataPlaneConfig config, String name) {
        ConnectionProvider provider = ConnectionProvider.builder(name)
                .maxConnections(4096)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(config.originConnectTimeout())
                .maxIdleTime(IDLE_TIME)
                .evictInBackground(Duration.ofSeconds(30))
                .build();
        providers.add(provider);
        return provider;
    }

    private static HttpClient client(DataPlaneConfig config, LoopResources loops, InetAddress source,
            ConnectionProvider provider, AddressResolverGroup<InetSocketAddress> checked) {
        HttpClient client = HttpClient.create(provider)
                .runOn(loops)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.originConnectTimeout().toMillis())
                .responseTimeout(config.originResponseTimeout())
                .followRedirect(false)
                .compress(false)
                .keepAlive(true);
        if (source != null) {
            InetSocketAddress local = new InetSocketAddress(source, 0);
            client = client.bindAddress(() -> local);
        }
        return checked == null ? client : client.resolver(checked);
    }

    /** The pool ordinary requests go through. */
    public OriginPool pool() {
        return pool;
    }

    /** The HTTP/1.1 client for a visitor's WebSocket handshake: a new connection per WebSocket. */
    public HttpClient webSocket(InetAddress visitor) {
        return webSocket[index(visitor)];
    }

    /** The HTTP/2 client (gRPC, multiplexed over pooled connections) for a visitor; h2c for http:// origins. */
    public HttpClient http2(InetAddress visitor) {
        return http2[index(visitor)];
    }

    /** Which source address serves {@code visitor}: stable for one visitor, spread across visitors. */
    int index(InetAddress visitor) {
        return SourceAddresses.index(visitor, webSocket.length);
    }

    @Override
    public void close() {
        providers.forEach(ConnectionProvider::dispose);
        pool.close();
        if (checked != null) {
            checked.close();
            names.close();
        }
    }
}
