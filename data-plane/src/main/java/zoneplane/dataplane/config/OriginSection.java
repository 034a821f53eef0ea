package zoneplane.dataplane.config;

import static zoneplane.dataplane.config.DataPlaneConfigLoader.ALLOW_PRIVATE_ORIGINS;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.CDN_LOOP_LIMIT;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.ORIGIN_CONNECT_TIMEOUT;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.ORIGIN_RESPONSE_TIMEOUT;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.ORIGIN_SOURCE_ADDRESSES;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/** How the node calls origins: timeouts, source addresses, loop detection and which addresses it may reach. */
record OriginSection(Duration connectTimeout, Duration responseTimeout, int loopLimit, List<InetAddress> sources,
        boolean allowPrivateOrigins) {

    /** {@code followsControlPlane}: the node serves tenants' origins rather than its operator's snapshot. */
    static OriginSection read(ConfigValues values, boolean followsControlPlane) {
        Duration connect = values.duration(ORIGIN_CONNECT_TIMEOUT, Duration.ofSeconds(15));
        Duration response = values.duration(ORIGIN_RESPONSE_TIMEOUT, Duration.ofSeconds(100));
        int loopLimit = values.integer(CDN_LOOP_LIMIT, 1, 1, 32);
        List<InetAddress> sources = values.addresses(ORIGIN_SOURCE_ADDRESSES).orElse(List.of());
        // A node following a control plane serves tenants' origins: only public addresses unless the
        // operator says otherwise. A node serving a snapshot file serves what its operator wrote
        // (the local run's origins are on loopback): private origins allowed unless switched off.
        boolean allowPrivateOrigins = values.bool(ALLOW_PRIVATE_ORIGINS, !followsControlPlane);
        return new OriginSection(connect, response, loopLimit, sources, allowPrivateOrigins);
    }
}
