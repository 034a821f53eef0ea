package zoneplane.controlplane.ratelimit;

import zoneplane.controlplane.auth.Caller;

/** Which limit applies to a caller: its token's override, else its account's, else the default. */
final class RateLimits {

    private final RateLimitProperties properties;

    RateLimits(RateLimitProperties properties) {
        this.properties = properties;
    }

    RateLimitProperties.Limit limitFor(Caller caller) {
        RateLimitProperties.Limit own = properties.overrides().get(caller.tokenId());
        if (own != null) {
            return own;
        }
        RateLimitProperties.Limit account = caller.account().map(properties.overrides()::get).orElse(null);
        return account != null ? account : properties.defaultLimit();
    }

    /**
     * The bucket's key: the token and the limit, so that a changed limit starts a fresh bucket
     * rather than reinterpreting an old bucket's state. Replicas configured alike share buckets.
     */
    static String bucketKey(Caller caller, RateLimitProperties.Limit limit) {
        return caller.tokenId() + ":" + limit.requests() + "/" + limit.period().toSeconds();
    }

    @Override
    public String toString() {
        return "RateLimits[default " + properties.requests() + " per " + properties.period() + ", "
                + properties.overrides().size() + " overrides]";
    }
}
