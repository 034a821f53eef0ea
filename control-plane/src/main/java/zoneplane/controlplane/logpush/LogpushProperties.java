package zoneplane.controlplane.logpush;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Logpush rules of the operator, {@code zoneplane.logpush.*}.
 *
 * @param allowPrivateDestinations {@code ZONEPLANE_LOGPUSH_ALLOW_PRIVATE_DESTINATIONS}: accept
 *     {@code http://} destinations and destinations on loopback, private, link-local and other
 *     non-public IP literals or {@code localhost} names (on-premises collectors, tests). Default
 *     false: every node delivers to the destination, so such a job would let a tenant make the edge
 *     fleet post to the operator's own network.
 * @param maxJobsPerZone {@code ZONEPLANE_LOGPUSH_MAX_JOBS_PER_ZONE}: jobs one zone may have (each
 *     costs every node a spool and a connection), default 4.
 * @param statusWindow how recent a node's report must be for its failure to count in a job's
 *     {@code last_error} (a node that stopped reporting is gone, not failing), default 10 minutes.
 */
@ConfigurationProperties("zoneplane.logpush")
public record LogpushProperties(
        @DefaultValue("false") boolean allowPrivateDestinations,
        @DefaultValue("4") int maxJobsPerZone,
        @DefaultValue("10m") Duration statusWindow) {}
