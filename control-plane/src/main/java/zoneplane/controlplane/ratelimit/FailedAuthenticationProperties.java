package zoneplane.controlplane.ratelimit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The limit on failed authentications per client address, {@code zoneplane.rate-limit.failed-authentications.*}
 * (on with {@code zoneplane.rate-limit.enabled}).
 *
 * @param requests failed authentications (no credentials, a malformed or an unknown, revoked or expired
 *     token) one address may make per {@code period} and replica before its requests get 429 for the rest
 *     of the window ({@code ZONEPLANE_RATE_LIMIT_FAILED_AUTHENTICATIONS_REQUESTS}, default 60)
 * @param period {@code ZONEPLANE_RATE_LIMIT_FAILED_AUTHENTICATIONS_PERIOD}, default 1m
 */
@ConfigurationProperties("zoneplane.rate-limit.failed-authentications")
public record FailedAuthenticationProperties(@DefaultValue("60") long requests, @DefaultValue("1m") Duration period) {

    public FailedAuthenticationProperties {
        new RateLimitProperties.Limit(requests, period);
    }

    RateLimitProperties.Limit limit() {
        return new RateLimitProperties.Limit(requests, period);
    }
}
