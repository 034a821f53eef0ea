package zoneplane.controlplane.account;

import java.util.Objects;
import java.util.Optional;

/**
 * Which accounts the caller of a request may see. Every lookup and listing of accounts, zones and
 * settings takes one, so that tenant isolation is a property of the queries and not of each
 * controller. Today every caller is the operator ({@link #unrestricted()}); API tokens will
 * resolve to {@link #of(String)} in {@link CallerScopeResolver} without changes to the controllers.
 */
public final class AccountScope {

    private static final AccountScope UNRESTRICTED = new AccountScope(null);

    private final String accountId;

    private AccountScope(String accountId) {
        this.accountId = accountId;
    }

    /** The operator: every account. */
    public static AccountScope unrestricted() {
        return UNRESTRICTED;
    }

    /** One account only. */
    public static AccountScope of(String accountId) {
        return new AccountScope(Objects.requireNonNull(accountId, "accountId"));
    }

    public boolean permits(String candidate) {
        return accountId == null || accountId.equals(candidate);
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

    @Override
    public String toString() {
        return accountId == null ? "AccountScope[all]" : "AccountScope[" + accountId + "]";
    }
}
