package zoneplane.dataplane.origin;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * HTTP/1.1 connections to origins, pooled per event loop: a request is sent on a connection that
 * lives on the same event loop as the visitor's connection, so a request crosses no thread and takes
 * no lock. Idle connections are kept per (origin, source address) and loop, most recently used first,
 * and closed after {@code maxIdle}. With configured source addresses (SPEC §5.4) a visitor's
 * connections always leave from the same one (a hash of its address).
 *
 * <p>Unless private origins are allowed, every connection's address is checked first
 * ({@link PublicOriginResolvers}): a prohibited one fails the request with
 * {@link ProhibitedOriginException} and is never connected.
 *
 * <p>This is the path of ordinary requests; WebSockets and gRPC use Reactor Netty's client.
 */
public final class OriginPool implements AutoCloseable {

    /** Most idle connections kept per origin, source address and event loop; more are closed. */
    static final int MAX_IDLE_PER_LOOP = 512;

    private static final AttributeKey<Key> POOL_KEY = AttributeKey.valueOf("zoneplane.origin.key");

    /** Where a pooled connection goes: the origin and the index of the local source address. */
    record Key(OriginAddress origin, int source) {}

    private final OriginAddresses addresses = new OriginAddresses();
    private final List<InetAddress> sources;
    private final int connectTimeoutMillis;
    private final long responseTimeoutNanos;
    private final long maxIdleNanos;
    private final int maxResponseHeaderSize;
    private final SslContext tls;
    private final boolean allowPrivate;
    private final OriginObserver observer;
    /** Checks IP-literal origins (null when private origins are allowed). */
    private final AddressResolverGroup<InetSocketAddress> checkedLiterals;
    private final Map<Class<?>, AddressResolverGroup<InetSocketAddress>> checkedNames = new ConcurrentHashMap<>();
    private final ChannelGroup open = new DefaultChannelGroup("origin-connections", GlobalEventExecutor.INSTANCE);
    private final Map<Class<?>, ChannelFactory<? extends Channel>> channelFactories = new ConcurrentHashMap<>();
    private final Map<Class<?>, AddressResolverGroup<InetSocketAddress>> resolvers = new ConcurrentHashMap<>();
    private final FastThreadLocal<Map<Key, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<Key, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };

    /**
     * @param tls the client context for https origins (the JDK's trusted CAs in production)
     * @param allowPrivate whether origins may be on loopback, private and other prohibited addresses
     * @param observer hears of failed connections and origin response times (the node's metrics)
     */
    public OriginPool(List<InetAddress> sources, Duration connectTimeout, Duration responseTimeout, Duration maxIdle,
            int maxResponseHeaderSize, SslContext tls, boolean allowPrivate, OriginObserver observer) {
        this.sources = List.copyOf(sources);
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.responseTimeoutNanos = responseTimeout.toNanos();
        this.maxIdleNanos = maxIdle.toNanos();
        this.maxResponseHeaderSize = maxResponseHeaderSize;
        this.tls = tls;
        this.allowPrivate = allowPrivate;
        this.observer = observer;
        this.checkedLiterals = allowPrivate ? null : PublicOriginResolvers.checking(DefaultAddressResolverGroup.INSTANCE);
    }

    /** A client context trusting the JDK's default CAs, verifying host names. */
    public static SslContext defaultTls() {
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the TLS client context for https origins", e);
        }
    }

    /**
     * Sends a request to {@code origin} and emits the response head once it arrives (Reactor Netty's
     * side of the edge). Must be called from {@code visitor}'s event loop.
     *
     * @param visitor the visitor's channel: the origin connection joins its event loop
     * @param visitorIp chooses the source address
     * @param body the request body, or null when the request has none
     * @param bodyLimit the most body bytes the origin may receive; more fail with {@link UploadTooLargeException}
     */
    public Mono<OriginResponse> send(Channel visitor, String origin, InetAddress visitorIp, HttpMethod method,
            String target, HttpHeaders headers, Publisher<ByteBuf> body, long bodyLimit) {
        OriginAddress address;
        try {
            address = addresses.of(origin);
        } catch (IllegalArgumentException e) {
            return Mono.error(e);
        }
        Key key = key(address, visitorIp);
        String path = address.target(target);
        return ReactiveOriginCall.start(visitor.eventLoop(), body,
                receiver -> new OriginCall(this, visitor, key, method, path, headers, body != null, bodyLimit, receiver));
    }

    /**
     * Starts a request to {@code origin}; the caller pushes its body into the returned call and hears
     * of the response through {@code receiver}. Must be called on {@code visitor}'s event loop, as must
     * every method of the call.
     *
     * @param hasBody whether the caller will push a body ({@link OriginCall#sendBody}, {@link OriginCall#endBody})
     * @throws IllegalArgumentException when {@code origin} is not an http(s) URL with a host
     */
    public OriginCall call(Channel visitor, String origin, InetAddress visitorIp, HttpMethod method, String target,
            HttpHeaders headers, boolean hasBody, long bodyLimit, OriginReceiver receiver) {
        OriginAddress address = addresses.of(origin);
        OriginCall call = new OriginCall(this, visitor, key(address, visitorIp), method, address.target(target),
                headers, hasBody, bodyLimit, receiver);
        call.start();
        return call;
    }

    private Key key(OriginAddress address, InetAddress visitorIp) {
        return new Key(address, SourceAddresses.index(visitorIp, sources.size()));
    }

    /**
     * The absolute URL of {@code target} at {@code origin} (parsed once, like {@link #send}).
     *
     * @throws IllegalArgumentException when {@code origin} is not an http(s) URL with a host
     */
    public String url(String origin, String target) {
        return addresses.of(origin).url(target);
    }

    /** An idle connection for {@code key} on the calling event loop, or null. */
    Channel pollIdle(Key key) {
        ArrayDeque<Channel> channels = idle.get().get(key);
        if (channels == null) {
            return null;
        }
        Channel channel;
        while ((channel = channels.pollLast()) != null) {
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    /** Takes back a connection whose exchange ended cleanly, on its event loop. */
    void release(Key key, Channel channel) {
        if (!channel.isActive()) {
            return;
        }
        channel.config().setAutoRead(true);
        ArrayDeque<Channel> channels = idle.get().computeIfAbsent(key, k -> new ArrayDeque<>());
        if (channels.size() >= MAX_IDLE_PER_LOOP) {
            channel.close();
            return;
        }
        channels.addLast(channel);
    }

    /** A pooled connection closed (by the origin, or its idle time ran out), on its event loop. */
    void forget(Channel channel) {
        Key key = channel.attr(POOL_KEY).get();
        ArrayDeque<Channel> channels = key == null ? null : idle.get().get(key);
        if (channels != null) {
            channels.remove(channel);
        }
    }

    /** Opens a connection on the visitor's event loop, with the visitor's channel type. */
    ChannelFuture connect(Channel visitor, Key key) {
        Class<? extends Channel> socketType = socketChannelType(visitor);
        OriginAddress origin = key.origin();
        Bootstrap bootstrap = new Bootstrap()
                .group(visitor.eventLoop())
                .channelFactory(channelFactories.computeIfAbsent(socketType,
                        type -> new ReflectiveChannelFactory<>(socketType)))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .attr(POOL_KEY, key)
                .resolver(resolver(socketType, origin.socketAddress().isUnresolved()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        open.add(ch);
                        ChannelPipeline pipeline = ch.pipeline();
                        if (origin.tls()) {
                            pipeline.addLast(sslHandler(ch, origin));
                        }
                        OriginResponseDecoder decoder = new OriginResponseDecoder(maxResponseHeaderSize);
                        OriginConnection connection = new OriginConnection(OriginPool.this, decoder,
                                responseTimeoutNanos, maxIdleNanos);
                        pipeline.addLast(connection.unaskedBytesWatch());
                        pipeline.addLast(decoder);
                        pipeline.addLast(new HttpRequestEncoder());
                        pipeline.addLast(connection);
                    }
                });
        if (!sources.isEmpty()) {
            bootstrap.localAddress(new InetSocketAddress(sources.get(key.source()), 0));
        }
        ChannelFuture connecting = bootstrap.connect(origin.socketAddress());
        connecting.addListener(connected -> {
            if (!connected.isSuccess()) {
                observer.connectFailed(connected.cause());
            }
        });
        return connecting;
    }

    OriginObserver observer() {
        return observer;
    }

    /** How a connection's address is found: DNS for names, none for literals; checked unless private origins are allowed. */
    private AddressResolverGroup<InetSocketAddress> resolver(Class<? extends Channel> socketType, boolean named) {
        if (!named) {
            return allowPrivate ? DefaultAddressResolverGroup.INSTANCE : checkedLiterals;
        }
        AddressResolverGroup<InetSocketAddress> names = resolvers.computeIfAbsent(socketType, OriginPool::dnsResolver);
        return allowPrivate ? names : checkedNames.computeIfAbsent(socketType, type -> PublicOriginResolvers.checking(names));
    }

    private SslHandler sslHandler(Channel ch, OriginAddress origin) {
        SslHandler handler = tls.newHandler(ch.alloc(), origin.host(), origin.port());
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return handler;
    }

    /** The transport's socket channel type (epoll, NIO, …) of the visitor's connection. */
    @SuppressWarnings("unchecked")
    private static Class<? extends Channel> socketChannelType(Channel visitor) {
        for (Channel c = visitor; c != null; c = c.parent()) {
            if (c instanceof SocketChannel) {
                return (Class<? extends Channel>) c.getClass();
            }
        }
        throw new IllegalStateException("not a socket connection: " + visitor);
    }

    /** Asynchronous DNS for named origins (reads /etc/hosts first), on the transport's datagram type. */
    @SuppressWarnings("unchecked")
    private static AddressResolverGroup<InetSocketAddress> dnsResolver(Class<?> socketType) {
        String datagram = socketType.getName().replace("SocketChannel", "DatagramChannel");
        try {
            Class<? extends DatagramChannel> type = (Class<? extends DatagramChannel>) Class.forName(datagram, true,
                    socketType.getClassLoader());
            return new DnsAddressResolverGroup(new DnsNameResolverBuilder().datagramChannelType(type));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no datagram channel matches " + socketType.getName(), e);
        }
    }

    /** Connections open now (in use and idle), for metrics and tests. */
    public int openConnections() {
        return open.size();
    }

    @Override
    public void close() {
        open.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        checkedNames.values().forEach(AddressResolverGroup::close);
        if (checkedLiterals != null) {
            checkedLiterals.close();
        }
        resolvers.values().forEach(AddressResolverGroup::close);
    }
}
