package zoneplane.dataplane;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.ProxyProtocolSupportType;
import zoneplane.dataplane.config.DataPlaneConfig;
import zoneplane.dataplane.geo.CountryDatabase;
import zoneplane.dataplane.geo.TorExitNodes;
import zoneplane.dataplane.guard.Http2IdleClock;
import zoneplane.dataplane.guard.Http2SlowClientGuard;
import zoneplane.dataplane.guard.SlowClientGuard;
import zoneplane.dataplane.logging.JsonAccessLog;
import zoneplane.dataplane.management.CertificateMeters;
import zoneplane.dataplane.management.EdgeMetrics;
import zoneplane.dataplane.management.JvmMeters;
import zoneplane.dataplane.management.ManagementServer;
import zoneplane.dataplane.management.OriginMeters;
import zoneplane.dataplane.proxy.EdgeEventLoops;
import zoneplane.dataplane.proxy.EdgeProxy;
import zoneplane.dataplane.proxy.Http1Connections;
import zoneplane.dataplane.proxy.OriginClients;
import zoneplane.dataplane.proxy.TlsWarmUp;
import zoneplane.dataplane.setting.ConnectionSetups;
import zoneplane.dataplane.setting.SettingTransforms;
import zoneplane.dataplane.source.ConfigFreshness;
import zoneplane.dataplane.logpush.NodeLogpush;
import zoneplane.dataplane.logpush.kafka.BrokerAddressPolicy;
import zoneplane.dataplane.logpush.kafka.KafkaDestination;
import zoneplane.dataplane.usage.ExchangeListener;
import zoneplane.dataplane.usage.NodeUsage;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.dataplane.visitor.VisitorResolver;
import zoneplane.dataplane.websocket.WebSocketProxy;

/**
 * A running data-plane node: the proxy listeners (HTTP/1.1 + h2c; h2 + HTTP/1.1 over TLS when a
 * certificate is configured), the management listener, and the origin connection pools. It serves
 * whatever {@link LiveZoneView} holds; whoever feeds the view (snapshot file, subscriber) is separate.
 *
 * <p>{@link #close()} shuts down gracefully: listeners stop accepting, readiness turns 503, in-flight
 * requests may finish until the drain deadline, then remaining WebSockets are closed with 1001.
 */
public final class DataPlaneNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DataPlaneNode.class);
    /** In-memory handshakes before the https listener opens: the first pays the TLS stack's start, the rest compile it. */
    private static final int TLS_WARM_UP_HANDSHAKES = 3;

    /**
     * The longest HTTP/1.1 request line (method, target, version) read; a longer one gets 414. 8 KiB, as
     * one of nginx's {@code large_client_header_buffers}: Netty's default of 4 KiB refused long query
     * strings that nginx and Cloudflare accept.
     */
    static final int MAX_REQUEST_LINE = 8192;
    /** The longest a shutdown waits for Logpush to deliver its open batches (at most the drain timeout). */
    static final Duration LOGPUSH_FLUSH_LIMIT = Duration.ofSeconds(10);

    private final DataPlaneConfig config;
    private final LiveZoneView view;
    private final PrometheusMeterRegistry registry;
    private final EdgeMetrics metrics;
    private final JvmMeters jvmMeters;
    private final EdgeEventLoops loops;
    private final OriginClients origins;
    private final WebSocketProxy webSockets;
    private final NodeUsage usage;
    private final NodeLogpush logpush;
    private final LongAdder inFlight = new LongAdder();
    private final List<DisposableServer> listeners = new ArrayList<>();
    private final DisposableServer http;
    private final DisposableServer https;
    private final DisposableServer management;
    private final Http2SlowClientGuard http2SlowClients;
    private final ConnectionSetups connectionSetups;
    /** Visitor connections that speak HTTP/2: told with GOAWAY when the node starts draining. */
    private final ChannelGroup http2Connections = new DefaultChannelGroup("http2-visitors", GlobalEventExecutor.INSTANCE);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean draining;

    private DataPlaneNode(DataPlaneConfig config, LiveZoneView view, ConfigFreshness freshness,
            CountryDatabase countries, TorExitNodes torExits, PrometheusMeterRegistry registry, Clock clock,
            List<ExchangeListener> exchangeListeners) {
        this.config = config;
        this.view = view;
        this.registry = registry;
        this.metrics = new EdgeMetrics(registry, view, config.metricsZoneLimit());
        this.jvmMeters = JvmMeters.bindTo(registry);
        this.loops = new EdgeEventLoops(config.nodeId(), config.eventLoops());
        this.origins = new OriginClients(config, loops, new OriginMeters(registry));
        this.webSockets = new WebSocketProxy(config, metrics);
        Path cacheDir = config.cacheDir().orElse(Path.of(".zoneplane", "edge-cache", config.nodeId()));
        this.logpush = NodeLogpush.start(config.logpush(), config.nodeId(), config.nodeToken().orElse(""),
                cacheDir.resolve("logpush-spool"), clock, registry,
                (conf, allowPrivate) -> KafkaDestination.open(conf, BrokerAddressPolicy.forNode(allowPrivate)));
        this.usage = NodeUsage.start(config.usage(), config.nodeId(), config.nodeToken().orElse(""),
                cacheDir.resolve("usage-spool"), loops.onServer(true), clock, registry, countries, torExits,
                Stream.concat(logpush.listeners().stream(), exchangeListeners.stream()).toList());
        SlowClientGuard slowClients = new SlowClientGuard(config.requestHeaderTimeout(), config.requestBodyTimeout(),
                config.keepAliveTimeout(), config.nodeId(), metrics);
        this.http2SlowClients = new Http2SlowClientGuard(config.requestHeaderTimeout(), config.requestBodyTimeout(),
                config.keepAliveTimeout(), metrics, http2Connections);
        EdgeProxy proxy = new EdgeProxy(view, new VisitorResolver(config.trustedProxies(), config.proxyProtocol()),
                SettingTransforms.all(countries, torExits, config.onionAddress()), origins, webSockets, metrics,
                config.nodeId(), config.cdnLoopLimit(), usage.hook());
        Http1Connections http1 = Http1Connections.of(slowClients, config.http1FastPath(), proxy, origins.pool(),
                metrics, inFlight, config.jsonAccessLog(), () -> draining, usage.hook());
        // The one list of what is decided once per visitor connection (a per-connection setting goes here too).
        // Usage accounting comes first: its byte counter sits just after TLS (or first in cleartext).
        this.connectionSetups = ConnectionSetups.of(usage.hook()::install, http1, http2SlowClients);
        this.http = listener(config.httpPort())
                .protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
                .handle((req, res) -> counted(proxy.handle(req, res, false)))
                .bindNow();
        listeners.add(http);
        if (config.tlsEnabled()) {
            Http2SslContextSpec tls = Http2SslContextSpec.forServer(
                    config.tlsCertFile().orElseThrow().toFile(), config.tlsKeyFile().orElseThrow().toFile());
            warmTls(tls, config.tlsCertFile().orElseThrow().toFile());
            this.https = listener(config.httpsPort())
                    .secure(spec -> spec.sslContext(tls))
                    .protocol(HttpProtocol.H2, HttpProtocol.HTTP11)
                    .handle((req, res) -> counted(proxy.handle(req, res, true)))
                    .bindNow();
            listeners.add(https);
            CertificateMeters.bind(registry, config.tlsCertFile().orElseThrow());
        } else {
            this.https = null;
        }
        this.management = ManagementServer.start(config.bindAddress(), config.managementPort(), registry,
                () -> view.loaded() && !draining, freshness::healthDetails);
        log.info("data-plane node {} listening: http {}, https {}, management {}; {} {} event loop(s){}; "
                        + "HTTP/1.1 path {}; Netty leak detection {}",
                config.nodeId(), http.port(),
                https == null ? "off (no ZONEPLANE_TLS_CERT_FILE/KEY_FILE)" : https.port(), management.port(),
                config.eventLoops().count(), loops.nativeTransport() ? "epoll" : "NIO",
                config.eventLoops().busyPoll() ? ", busy-polling" : "",
                config.http1FastPath() ? "plain Netty" : "Reactor Netty",
                ResourceLeakDetector.getLevel().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Binds the listeners and starts serving {@code view}. */
    public static DataPlaneNode start(DataPlaneConfig config, LiveZoneView view, ConfigFreshness freshness,
            CountryDatabase countries, TorExitNodes torExits, PrometheusMeterRegistry registry) {
        return start(config, view, freshness, countries, torExits, registry, Clock.systemUTC());
    }

    /** @param clock what usage accounting closes minutes by (tests move it across minute boundaries) */
    public static DataPlaneNode start(DataPlaneConfig config, LiveZoneView view, ConfigFreshness freshness,
            CountryDatabase countries, TorExitNodes torExits, PrometheusMeterRegistry registry, Clock clock) {
        return start(config, view, freshness, countries, torExits, registry, clock, List.of());
    }

    /** @param exchangeListeners more listeners of every finished exchange, after usage accounting's */
    public static DataPlaneNode start(DataPlaneConfig config, LiveZoneView view, ConfigFreshness freshness,
            CountryDatabase countries, TorExitNodes torExits, PrometheusMeterRegistry registry, Clock clock,
            List<ExchangeListener> exchangeListeners) {
        return new DataPlaneNode(config, view, freshness, countries, torExits, registry, clock, exchangeListeners);
    }

    /**
     * Shakes hands in memory with the https listener's certificate before it takes visitors (see
     * {@link TlsWarmUp}); a failure is only logged: the listener then reports its own.
     */
    private static void warmTls(Http2SslContextSpec tls, java.io.File certificate) {
        long started = System.nanoTime();
        try {
            String protocol = TlsWarmUp.handshake(tls.sslContext(), certificate, TLS_WARM_UP_HANDSHAKES);
            log.info("TLS warmed up: {} in-memory handshakes ({}) in {} ms", TLS_WARM_UP_HANDSHAKES, protocol,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (javax.net.ssl.SSLException | RuntimeException e) {
            log.warn("TLS warm-up failed, the first visitors' handshakes start cold: {}", e.toString());
        }
    }

    private HttpServer listener(int port) {
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), port);
        HttpServer server = HttpServer.create()
                .runOn(loops)
                .bindAddress(() -> address)
                .proxyProtocol(config.proxyProtocol() ? ProxyProtocolSupportType.ON : ProxyProtocolSupportType.OFF)
                .httpRequestDecoder(spec -> spec.maxHeaderSize(config.maxHeaderSize())
                        .maxInitialLineLength(MAX_REQUEST_LINE))
                .doOnChannelInit(connectionSetups)
                .doOnConnection(connection -> {
                    http2SlowClients.guardStream(connection);
                    usage.hook().installStream(connection);
                })
                .idleTimeout(config.keepAliveTimeout());
        return config.jsonAccessLog() ? server.accessLog(true, new JsonAccessLog()) : server;
    }

    private Mono<Void> counted(org.reactivestreams.Publisher<Void> handling) {
        inFlight.increment();
        return Mono.from(handling).doFinally(signal -> inFlight.decrement());
    }

    public int httpPort() {
        return http.port();
    }

    /** The https listener's port; -1 when TLS is not configured. */
    public int httpsPort() {
        return https == null ? -1 : https.port();
    }

    public int managementPort() {
        return management.port();
    }

    /** The registry the node's meters live in; other components (the subscriber) may add theirs. */
    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    public EdgeMetrics metrics() {
        return metrics;
    }

    /** The node's Logpush delivery. */
    public NodeLogpush logpush() {
        return logpush;
    }

    /** The node's usage accounting and shipping. */
    public NodeUsage usage() {
        return usage;
    }

    public LiveZoneView view() {
        return view;
    }

    public DataPlaneConfig config() {
        return config;
    }

    /** Requests (including open WebSockets) being handled now. */
    public long inFlight() {
        return inFlight.sum();
    }

    /** Idempotent; the first call drains and stops the node, later calls return at once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        draining = true;
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        // Stop accepting; connections already open keep being served.
        listeners.forEach(server -> server.channel().close().syncUninterruptibly());
        // HTTP/1.1 visitors learn it from Connection: close on their next answer; HTTP/2 visitors from GOAWAY,
        // which lets their open streams finish and sends new requests to another node.
        http2Connections.forEach(Http2IdleClock::goAway);
        awaitIdle(deadline);
        if (webSockets.active() > 0) {
            log.info("drain deadline reached: closing {} WebSocket(s) with 1001", webSockets.active());
            webSockets.closeAll(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), "edge shutting down")
                    .block(Duration.ofSeconds(5));
        }
        awaitIdle(System.nanoTime() + Duration.ofSeconds(5).toNanos());
        usage.close(); // the open minute, while the loops still run
        logpush.close(LOGPUSH_FLUSH_LIMIT.compareTo(config.drainTimeout()) < 0 ? LOGPUSH_FLUSH_LIMIT : config.drainTimeout());
        listeners.forEach(server -> server.disposeNow(Duration.ofSeconds(1)));
        management.disposeNow(Duration.ofSeconds(1));
        origins.close();
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(5));
        jvmMeters.close();
        log.info("data-plane node {} stopped", config.nodeId());
    }

    /** Waits (shutdown only) until no request is in flight or {@code deadlineNanos} passes. */
    private void awaitIdle(long deadlineNanos) {
        while (inFlight.sum() > 0 && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
