package zoneplane.controlplane.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication settings besides the bootstrap token.
 *
 * @param anonymousMetrics serve {@code /actuator/prometheus} without a token
 *     ({@code ZONEPLANE_AUTH_ANONYMOUS_METRICS}, default false: like every actuator endpoint but health
 *     it then needs the operator token, e.g. as a Prometheus {@code authorization} credential).
 *     Health probes never need one.
 */
@ConfigurationProperties("zoneplane.auth")
public record AuthProperties(@DefaultValue("false") boolean anonymousMetrics) {}
