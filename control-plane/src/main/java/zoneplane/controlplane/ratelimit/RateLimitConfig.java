package zoneplane.controlplane.ratelimit;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import zoneplane.controlplane.api.FilterErrors;
import zoneplane.controlplane.auth.AuthProperties;
import zoneplane.controlplane.auth.BootstrapToken;
import zoneplane.controlplane.auth.PublicPaths;

/**
 * Bucket4j's PostgreSQL proxy manager on the application's own DataSource: buckets live in
 * {@code rate_limit_buckets}, so every replica draws on the same budget. The SELECT ... FOR UPDATE
 * flavour locks one bucket row per request for a few statements; a bucket row expires (and the
 * cleaner drops it) once it would be full again. The table is unlogged (V33): no WAL per request,
 * and full budgets again after a database crash or failover. Both filters are switched on and off
 * by {@code zoneplane.rate-limit.enabled} where {@code pipeline.RequestPipeline} registers them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class RateLimitConfig {

    @Bean
    PostgreSQLSelectForUpdateBasedProxyManager<String> rateLimitBuckets(DataSource dataSource) {
        return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets")
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build();
    }

    /** Failed authentications per client address: placed just before authentication (see the filter). */
    @Bean
    ClientAddressLimitFilter clientAddressLimitFilter(FailedAuthenticationProperties failures, AuthProperties auth,
            BootstrapToken bootstrap, FilterErrors errors) {
        return new ClientAddressLimitFilter(failures.limit(), new PublicPaths(auth.anonymousMetrics()), bootstrap, errors);
    }

    @Bean
    RateLimitFilter rateLimitFilter(ProxyManager<String> buckets, RateLimitProperties properties, FilterErrors errors) {
        return new RateLimitFilter(new RateLimits(properties), buckets, errors);
    }
}
