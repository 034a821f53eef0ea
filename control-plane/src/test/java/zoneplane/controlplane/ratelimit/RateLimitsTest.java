package zoneplane.controlplane.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import zoneplane.controlplane.auth.Caller;
import zoneplane.controlplane.auth.Permission;
import zoneplane.controlplane.auth.ZoneScope;

class RateLimitsTest {

    static final String ACCOUNT = "a".repeat(32);
    static final String TOKEN = "b".repeat(32);

    static RateLimitProperties properties(Map<String, RateLimitProperties.Limit> overrides) {
        return new RateLimitProperties(true, 1200, Duration.ofMinutes(5), overrides, Duration.ofMinutes(1));
    }

    static Caller token(String id) {
        return Caller.token(id, ACCOUNT, Set.of(Permission.ZONE_READ), ZoneScope.all());
    }

    @Test
    void aTokensOwnLimitWinsOverItsAccountsWhichWinsOverTheDefault() {
        RateLimitProperties.Limit own = new RateLimitProperties.Limit(5, Duration.ofMinutes(1));
        RateLimitProperties.Limit account = new RateLimitProperties.Limit(50, Duration.ofMinutes(1));
        RateLimits limits = new RateLimits(properties(Map.of(TOKEN, own, ACCOUNT, account)));
        assertThat(limits.limitFor(token(TOKEN))).isEqualTo(own);
        assertThat(limits.limitFor(token("c".repeat(32)))).isEqualTo(account);
        assertThat(limits.limitFor(Caller.operator())).isEqualTo(new RateLimitProperties.Limit(1200, Duration.ofMinutes(5)));
        assertThat(new RateLimits(properties(Map.of("operator", own))).limitFor(Caller.operator())).isEqualTo(own);
    }

    @Test
    void aChangedLimitUsesAFreshBucket() {
        RateLimitProperties.Limit small = new RateLimitProperties.Limit(5, Duration.ofMinutes(1));
        RateLimitProperties.Limit large = new RateLimitProperties.Limit(500, Duration.ofMinutes(1));
        RateLimits limits = new RateLimits(properties(Map.of()));
        assertThat(limits.bucketKey(token(TOKEN), small)).isNotEqualTo(limits.bucketKey(token(TOKEN), large));
    }

    @Test
    void allTokensOfAnAccountShareOneBucketButTheOperatorAndATokenWithItsOwnLimitDoNot() {
        RateLimitProperties.Limit own = new RateLimitProperties.Limit(5, Duration.ofMinutes(1));
        RateLimits limits = new RateLimits(properties(Map.of(TOKEN, own)));
        RateLimitProperties.Limit standard = limits.limitFor(token("c".repeat(32)));
        assertThat(limits.bucketKey(token("c".repeat(32)), standard)).isEqualTo(limits.bucketKey(token("d".repeat(32)), standard))
                .isEqualTo("account:" + ACCOUNT + ":1200/300");
        assertThat(limits.bucketKey(Caller.operator(), standard)).isEqualTo("operator:1200/300");
        assertThat(limits.bucketKey(token(TOKEN), own)).isEqualTo("token:" + TOKEN + ":5/60");
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndNeverZero() {
        assertThat(RateLimitFilter.retryAfterSeconds(0)).isEqualTo(1);
        assertThat(RateLimitFilter.retryAfterSeconds(1)).isEqualTo(1);
        assertThat(RateLimitFilter.retryAfterSeconds(1_000_000_000L)).isEqualTo(1);
        assertThat(RateLimitFilter.retryAfterSeconds(1_000_000_001L)).isEqualTo(2);
        assertThat(RateLimitFilter.retryAfterSeconds(Duration.ofSeconds(250).toNanos())).isEqualTo(250);
    }

    @Test
    void nonsensicalLimitsAreRefusedAtStart() {
        assertThatThrownBy(() -> new RateLimitProperties.Limit(0, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimitProperties.Limit(10, Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimitProperties(true, 0, Duration.ofMinutes(5), Map.of(), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
