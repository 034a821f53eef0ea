package zoneplane.controlplane.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication settings besides the bootstrap token.
 *
 * @param anonymousMetrics serve {@code /actuator/prometheus} without a token
 *     ({@code ZONEPLANE_AUTH_ANONYMOUS_METRICS}, default false: like every actuator endpoint but health
 *     it then needs the operator token, e.g. as a Prometheus {@code authorization} credential).
 *     Health probes never need one.
 * @param tokenCacheTtl how long a replica remembers an API token it looked up
 *     ({@code ZONEPLANE_AUTH_TOKEN_CACHE_TTL}, default 10s; 0 looks every request's token up).
 *     Revocations are announced to every replica and take effect at once regardless; this bounds
 *     only edits made in the database by hand.
 */
@ConfigurationProperties("zoneplane.auth")
public record AuthProperties(@DefaultValue("false") boolean anonymousMetrics, @DefaultValue("10s") Duration tokenCacheTtl) {

    public AuthProperties {
        if (tokenCacheTtl.isNegative()) {
            throw new IllegalArgumentException("zoneplane.auth.token-cache-ttl must not be negative: " + tokenCacheTtl);
        }
    }
}
