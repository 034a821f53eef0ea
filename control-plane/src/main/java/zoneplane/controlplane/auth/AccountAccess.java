package zoneplane.controlplane.auth;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;

/**
 * The gate of account-level endpoints (tokens, audit log): first "may the caller know this account
 * exists" (else 404, exactly as for an account that does not exist), then "may it do this" (else
 * 403). In that order, so that another tenant's account ids answer like unknown ones.
 */
@Component
public class AccountAccess {

    private final JdbcClient jdbc;

    AccountAccess(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void require(Caller caller, String accountId, Permission needed) {
        if (!caller.canSeeAccount(accountId) || !exists(accountId)) {
            throw new ApiException(ApiErrorCode.UNKNOWN_ACCOUNT, "Invalid account identifier");
        }
        if (!caller.has(needed)) {
            throw new ApiException(ApiErrorCode.PERMISSION_DENIED, "This token lacks the " + needed.wire() + " permission");
        }
    }

    private boolean exists(String accountId) {
        return jdbc.sql("select exists (select 1 from accounts where id = :id)")
                .param("id", accountId)
                .query(Boolean.class)
                .single();
    }
}
