package zoneplane.controlplane.account;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.support.SqlArrayValue;
import zoneplane.controlplane.database.SqlArrays;

/**
 * Which accounts the caller of a request may see. Every lookup and listing of accounts, zones and
 * settings takes one, so that tenant isolation is a property of the queries and not of each
 * controller. The operator is {@link #unrestricted()}; an API token is {@link #of(String)} its
 * account, or {@link #of(String, Set)} only the listed zones of it ({@link CallerScopeResolver}).
 */
public final class AccountScope {

    private static final AccountScope UNRESTRICTED = new AccountScope(null, null);

    private final String accountId;
    /** null: every zone of the account; else only these (ids validated as hex when the token was made). */
    private final Set<String> zoneIds;

    private AccountScope(String accountId, Set<String> zoneIds) {
        this.accountId = accountId;
        this.zoneIds = zoneIds == null ? null : Set.copyOf(zoneIds);
    }

    /** The operator: every account. */
    public static AccountScope unrestricted() {
        return UNRESTRICTED;
    }

    /** One account only. */
    public static AccountScope of(String accountId) {
        return new AccountScope(Objects.requireNonNull(accountId, "accountId"), null);
    }

    /** Only these zones of one account. */
    public static AccountScope of(String accountId, Set<String> zoneIds) {
        return new AccountScope(Objects.requireNonNull(accountId, "accountId"), Objects.requireNonNull(zoneIds, "zoneIds"));
    }

    public boolean permits(String candidate) {
        return accountId == null || accountId.equals(candidate);
    }

    /** Whether the zone {@code zoneId} of account {@code zoneAccountId} is in this scope (the Java twin of the SQL filters below). */
    public boolean covers(String zoneAccountId, String zoneId) {
        return permits(zoneAccountId) && (zoneIds == null || zoneIds.contains(zoneId));
    }

    /** The one account this scope is limited to; empty when unrestricted. */
    public Optional<String> account() {
        return Optional.ofNullable(accountId);
    }

    /**
     * For SQL: {@code (:scope_account::text is null or account_id = :scope_account)}, bound with this
     * value (null when unrestricted).
     */
    public String sqlParameter() {
        return accountId;
    }

    /**
     * For SQL on zones: {@code (cast(:scope_zones as text[]) is null or id = any(cast(:scope_zones as text[])))},
     * bound with this {@code text[]} parameter (null when every zone of the account is in scope).
     */
    public SqlArrayValue zonesSqlParameter() {
        return zoneIds == null ? null : SqlArrays.text(new TreeSet<>(zoneIds));
    }

    @Override
    public String toString() {
        return accountId == null ? "AccountScope[all]"
                : "AccountScope[" + accountId + (zoneIds == null ? "" : ", " + zoneIds.size() + " zones") + "]";
    }
}
