package zoneplane.controlplane.ratelimit;

import zoneplane.controlplane.auth.Caller;

/**
 * Which limit applies to a caller (its token's override, else its account's, else the default) and
 * whose budget it draws on. Cloudflare counts per user, not per token: all tokens of an account share
 * one bucket ({@code account:<id>}), so minting tokens buys no extra requests. The operator's
 * bootstrap token has its own ({@code operator}); a token given an override of its own by the
 * operator has its own too ({@code token:<id>}).
 */
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
     * The bucket's key: whose budget (see the class) and the limit, so that a changed limit starts a
     * fresh bucket rather than reinterpreting an old bucket's state. Replicas configured alike share buckets.
     */
    String bucketKey(Caller caller, RateLimitProperties.Limit limit) {
        return owner(caller) + ":" + limit.requests() + "/" + limit.period().toSeconds();
    }

    /** Whose budget the caller spends: {@code operator}, {@code token:<id>} (own override) or {@code account:<id>}. */
    String owner(Caller caller) {
        if (caller.isOperator()) {
            return Caller.OPERATOR_ID;
        }
        if (properties.overrides().containsKey(caller.tokenId())) {
            return "token:" + caller.tokenId();
        }
        return "account:" + caller.accountId();
    }

    @Override
    public String toString() {
        return "RateLimits[default " + properties.requests() + " per " + properties.period() + ", "
                + properties.overrides().size() + " overrides]";
    }
}
