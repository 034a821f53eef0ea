package zoneplane.controlplane.zone;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which origins tenants may set, {@code zoneplane.origins.*}.
 *
 * @param allowPrivate {@code ZONEPLANE_ORIGINS_ALLOW_PRIVATE}: accept origins on loopback, link-local,
 *     private and other non-public addresses (on-premises installations, the {@code local} profile's
 *     demo origin on 127.0.0.1). Default false: such an origin would let any tenant reach the
 *     operator's own network through the edge.
 */
@ConfigurationProperties("zoneplane.origins")
public record OriginProperties(@DefaultValue("false") boolean allowPrivate) {}
