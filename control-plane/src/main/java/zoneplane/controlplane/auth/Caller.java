package zoneplane.controlplane.auth;

import jakarta.servlet.ServletRequest;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who sent the request, as established by {@link BearerAuthenticationFilter}: the operator (the
 * bootstrap token: every account, every permission) or an API token of one account with its
 * permissions and zone scope. Controllers get it as a method argument; it never holds the secret.
 *
 * @param tokenId the token's id, or {@link #OPERATOR_ID} for the bootstrap token
 * @param accountId the token's account; null for the operator
 */
public record Caller(String tokenId, String accountId, Set<Permission> permissions, ZoneScope zones) {

    /** The id the operator's bootstrap token reports (it is no row of api_tokens). */
    public static final String OPERATOR_ID = "operator";

    /** The request attribute under which the authentication filter leaves the caller. */
    public static final String REQUEST_ATTRIBUTE = Caller.class.getName();

    private static final Caller OPERATOR = new Caller(OPERATOR_ID, null, EnumSet.allOf(Permission.class), ZoneScope.all());

    public Caller {
        Objects.requireNonNull(tokenId, "tokenId");
        permissions = Set.copyOf(permissions);
        Objects.requireNonNull(zones, "zones");
    }

    public static Caller operator() {
        return OPERATOR;
    }

    public static Caller token(String tokenId, String accountId, Set<Permission> permissions, ZoneScope zones) {
        return new Caller(tokenId, Objects.requireNonNull(accountId, "accountId"), permissions, zones);
    }

    /** The authenticated caller of a request; empty on paths that need no token. */
    public static Optional<Caller> of(ServletRequest request) {
        Object caller = request.getAttribute(REQUEST_ATTRIBUTE);
        return caller instanceof Caller c ? Optional.of(c) : Optional.empty();
    }

    public boolean isOperator() {
        return accountId == null;
    }

    /** The caller's account; empty for the operator, who sees every account. */
    public Optional<String> account() {
        return Optional.ofNullable(accountId);
    }

    /** Whether the caller may know that this account exists at all. */
    public boolean canSeeAccount(String candidate) {
        return isOperator() || accountId.equals(candidate);
    }

    /** Whether the caller may know that this zone (of {@code zoneAccountId}) exists at all. */
    public boolean canSeeZone(String zoneAccountId, String zoneId) {
        return isOperator() || (accountId.equals(zoneAccountId) && zones.includes(zoneId));
    }

    public boolean has(Permission needed) {
        for (Permission held : permissions) {
            if (held.covers(needed)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return isOperator() ? "Caller[operator]" : "Caller[token " + tokenId + " of account " + accountId + ", " + permissions
                + (zones.allZones() ? ", all zones]" : ", " + zones.zoneIds().size() + " zones]");
    }
}
