package zoneplane.controlplane.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.api.ResultInfo;
import zoneplane.controlplane.auth.AccountAccess;
import zoneplane.controlplane.auth.Caller;
import zoneplane.controlplane.auth.Permission;

/**
 * {@code GET /accounts/{account_id}/audit_logs}: the account's audit log, newest first, for the
 * operator and for {@code account:admin} tokens of that account. Read-only: no endpoint edits or
 * deletes audit rows.
 */
@RestController
@Tag(name = "Audit log", description = "Every change, who made it and under which request (read-only)")
class AuditLogController {

    private final AccountAccess access;
    private final AuditLogRepository log;

    AuditLogController(AccountAccess access, AuditLogRepository log) {
        this.access = access;
        this.log = log;
    }

    @GetMapping("/accounts/{account_id}/audit_logs")
    @Operation(summary = "List the account's audit log (newest first; needs account:admin)", parameters = {
            @Parameter(name = "zone_id", description = "only entries about this zone"),
            @Parameter(name = "setting", description = "only entries about this setting id"),
            @Parameter(name = "since", description = "RFC 3339; entries at or after"),
            @Parameter(name = "before", description = "RFC 3339; entries strictly before"),
            @Parameter(name = "page"), @Parameter(name = "per_page")})
    Envelope<List<AuditEntry>> list(@PathVariable("account_id") String accountId, Caller caller, HttpServletRequest request) {
        access.require(caller, accountId, Permission.ACCOUNT_ADMIN);
        AuditQuery query = AuditQuery.parse(request.getParameterMap());
        List<AuditEntry> entries = log.list(accountId, query);
        return Envelope.list(entries, ResultInfo.of(query.page(), entries.size(), log.count(accountId, query)));
    }
}
