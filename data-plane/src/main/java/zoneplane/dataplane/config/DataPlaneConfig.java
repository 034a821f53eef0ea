package zoneplane.dataplane.config;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import zoneplane.dataplane.logpush.LogpushSettings;
import zoneplane.dataplane.usage.UsageSettings;
import java.util.Optional;
import zoneplane.model.Cidr;
import zoneplane.model.Plan;

/**
 * Everything a data-plane node is configured with, validated once at start-up by
 * {@link DataPlaneConfigLoader}. Immutable. Names of the variables that set each field are in
 * {@link DataPlaneConfigLoader}; defaults are in {@link #defaults()}.
 *
 * @param snapshotFile a snapshot document to serve from (static view) when no control plane is configured
 * @param controlPlaneUrls the control-plane replicas the config subscriber follows, in the order configured (it
 *     starts at one chosen by the node id and moves to the next on a failure); empty → snapshot file
 * @param controlPlaneHeartbeatTimeout a change stream that brings no line (change or heartbeat) for this long is
 *     taken for dead and the next replica is tried
 * @param geoipFiles IP-to-country files (Debian tor-geoipdb text ranges or a MaxMind .mmdb)
 * @param torExitsFile the Tor exit list, one address a line
 * @param onionAddress the operator's onion service host name for {@code alt-svc}
 * @param trustedProxies peers whose PROXY protocol header / X-Forwarded-For is believed
 * @param proxyProtocol whether the proxy listeners expect a PROXY protocol (v1 or v2) header
 * @param bindAddress the address the listeners bind ({@code ::} is dual-stack: IPv6 and IPv4)
 * @param httpsPort bound only when a TLS certificate and key are configured
 * @param nodeId the node's name: the suffix of every CF-Ray and its identity towards the control plane
 * @param tlsCertFile PEM certificate chain for the https listener
 * @param tlsKeyFile PEM (PKCS#8) private key for the https listener
 * @param originConnectTimeout time allowed to open a connection to an origin (then 504)
 * @param originResponseTimeout time allowed between the request and the origin's response headers, and
 *     between two reads of its body (then 504 if nothing was sent yet)
 * @param websocketIdleStandard WebSocket idle timeout for Free and Pro zones
 * @param websocketIdleBusiness WebSocket idle timeout for Business and Enterprise zones
 * @param cdnLoopLimit how many {@code zoneplane} entries an incoming {@code CDN-Loop} may already carry
 *     before the request is answered 508 (1: the second pass through the edge is refused)
 * @param drainTimeout on shutdown, how long in-flight requests may finish before WebSockets get 1001
 * @param maxHeaderSize the largest request header block (bytes); larger → 431
 * @param originSourceAddresses local addresses origin connections bind to, chosen by visitor hash (SPEC §5.4)
 * @param cacheDir where a node keeps its last good view (used by the subscriber)
 * @param nodeToken the shared secret the node presents to the control plane; never printed
 * @param requestHeaderTimeout time a request head (request line and headers) may take to arrive, from its
 *     first byte (for a new connection: from the connection); then 408 and close
 * @param requestBodyTimeout the longest gap allowed between two reads of a request body; then 408 (or a
 *     reset once the response has started) and the origin request is aborted
 * @param jsonAccessLog whether every answered request is logged as one JSON line ({@code ZONEPLANE_ACCESS_LOG=json})
 * @param websocketLimitEnforced whether a WebSocket handshake over its zone's plan limit is refused (429)
 * @param websocketLimits concurrent WebSockets per zone and node, by plan (Zoneplane's guidance)
 * @param eventLoops how many event loops the proxy runs and whether they busy-poll
 * @param keepAliveTimeout how long a visitor connection may wait between requests before the edge closes it
 * @param http1FastPath whether ordinary HTTP/1.1 requests take the plain Netty path (Reactor Netty's
 *     handlers otherwise; WebSockets, gRPC and HTTP/2 always use them)
 * @param allowPrivateOrigins whether the edge may connect to origins on loopback, private and other
 *     prohibited addresses ({@code ZONEPLANE_ALLOW_PRIVATE_ORIGINS}; default: only when serving a
 *     snapshot file); otherwise such an origin gets 502 "Error 1000" without a connection
 * @param metricsZoneLimit how many zones get their own {@code zone} label on the request counter
 *     ({@code ZONEPLANE_METRICS_ZONE_LIMIT}, 1000); requests of zones beyond it count as {@code _other}
 * @param usage usage accounting and shipping ({@code ZONEPLANE_USAGE_*})
 * @param logpush Logpush delivery ({@code ZONEPLANE_LOGPUSH_*})
 */
public record DataPlaneConfig(
        Optional<Path> snapshotFile,
        List<URI> controlPlaneUrls,
        Duration controlPlaneHeartbeatTimeout,
        List<Path> geoipFiles,
        Optional<Path> torExitsFile,
        Optional<String> onionAddress,
        List<Cidr> trustedProxies,
        boolean proxyProtocol,
        String bindAddress,
        int httpPort,
        int httpsPort,
        int managementPort,
        String nodeId,
        Optional<Path> tlsCertFile,
        Optional<Path> tlsKeyFile,
        Duration originConnectTimeout,
        Duration originResponseTimeout,
        Duration websocketIdleStandard,
        Duration websocketIdleBusiness,
        int cdnLoopLimit,
        Duration drainTimeout,
        int maxHeaderSize,
        List<InetAddress> originSourceAddresses,
        Optional<Path> cacheDir,
        Optional<String> nodeToken,
        Duration requestHeaderTimeout,
        Duration requestBodyTimeout,
        boolean jsonAccessLog,
        boolean websocketLimitEnforced,
        Map<Plan, Integer> websocketLimits,
        EventLoopSettings eventLoops,
        Duration keepAliveTimeout,
        boolean http1FastPath,
        boolean allowPrivateOrigins,
        int metricsZoneLimit,
        UsageSettings usage,
        LogpushSettings logpush) {

    public static final List<Path> DEBIAN_GEOIP_FILES =
            List.of(Path.of("/usr/share/tor/geoip"), Path.of("/usr/share/tor/geoip6"));

    public DataPlaneConfig {
        Objects.requireNonNull(snapshotFile);
        controlPlaneUrls = List.copyOf(controlPlaneUrls);
        Objects.requireNonNull(controlPlaneHeartbeatTimeout);
        geoipFiles = List.copyOf(geoipFiles);
        Objects.requireNonNull(torExitsFile);
        Objects.requireNonNull(onionAddress);
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(bindAddress);
        Objects.requireNonNull(nodeId);
        Objects.requireNonNull(tlsCertFile);
        Objects.requireNonNull(tlsKeyFile);
        Objects.requireNonNull(originConnectTimeout);
        Objects.requireNonNull(originResponseTimeout);
        Objects.requireNonNull(websocketIdleStandard);
        Objects.requireNonNull(websocketIdleBusiness);
        Objects.requireNonNull(drainTimeout);
        originSourceAddresses = List.copyOf(originSourceAddresses);
        Objects.requireNonNull(cacheDir);
        Objects.requireNonNull(nodeToken);
        Objects.requireNonNull(requestHeaderTimeout);
        Objects.requireNonNull(requestBodyTimeout);
        Objects.requireNonNull(keepAliveTimeout);
        Objects.requireNonNull(usage);
        Objects.requireNonNull(logpush);
        websocketLimits = Map.copyOf(websocketLimits);
        Objects.requireNonNull(eventLoops);
    }

    /** Every default, as the loader applies them (ports from {@code DataPlaneEndpoints}). */
    public static DataPlaneConfig defaults() {
        return DataPlaneConfigLoader.load(name -> null);
    }

    public boolean tlsEnabled() {
        return tlsCertFile.isPresent() && tlsKeyFile.isPresent();
    }

    /** The WebSocket idle timeout of a zone on {@code plan}. */
    public Duration websocketIdleTimeout(Plan plan) {
        return plan == Plan.BUSINESS || plan == Plan.ENTERPRISE ? websocketIdleBusiness : websocketIdleStandard;
    }

    /** Every field but the node token, which is only said to be set or not. */
    @Override
    public String toString() {
        return "DataPlaneConfig[snapshotFile=" + snapshotFile + ", controlPlaneUrls=" + controlPlaneUrls
                + ", controlPlaneHeartbeatTimeout=" + controlPlaneHeartbeatTimeout
                + ", nodeToken=" + (nodeToken.isPresent() ? "<set>" : "<unset>") + ", geoipFiles=" + geoipFiles
                + ", torExitsFile=" + torExitsFile + ", onionAddress=" + onionAddress + ", trustedProxies="
                + trustedProxies + ", proxyProtocol=" + proxyProtocol + ", bindAddress=" + bindAddress
                + ", httpPort=" + httpPort + ", httpsPort=" + httpsPort + ", managementPort=" + managementPort
                + ", nodeId=" + nodeId + ", tlsCertFile=" + tlsCertFile + ", originConnectTimeout="
                + originConnectTimeout + ", originResponseTimeout=" + originResponseTimeout + ", cdnLoopLimit="
                + cdnLoopLimit + ", drainTimeout=" + drainTimeout + ", maxHeaderSize=" + maxHeaderSize
                + ", originSourceAddresses=" + originSourceAddresses + ", cacheDir=" + cacheDir
                + ", allowPrivateOrigins=" + allowPrivateOrigins + ", requestHeaderTimeout=" + requestHeaderTimeout + ", requestBodyTimeout=" + requestBodyTimeout + ", jsonAccessLog=" + jsonAccessLog + ", websocketLimitEnforced=" + websocketLimitEnforced
                + ", websocketLimits=" + websocketLimits + ", eventLoops=" + eventLoops + ", keepAliveTimeout="
                + keepAliveTimeout + ", http1FastPath=" + http1FastPath + ", usage=" + usage + ", logpush=" + logpush + "]";
    }
}
