package zoneplane.controlplane.zone;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import zoneplane.controlplane.account.AccountRepository;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.Identifiers;
import zoneplane.controlplane.audit.AuditAction;
import zoneplane.controlplane.audit.AuditEvent;
import zoneplane.controlplane.audit.AuditTrail;
import zoneplane.controlplane.changelog.Applied;
import zoneplane.controlplane.changelog.ChangeLog;
import zoneplane.model.Plan;

/**
 * Creating, editing and deleting zones. Each accepted change is one transaction that writes the
 * zone and appends one change-log revision; an edit that changes nothing writes nothing.
 */
@Service
class ZoneService {

    private final ZoneRepository zones;
    private final AccountRepository accounts;
    private final ChangeLog changeLog;
    private final AuditTrail audit;

    ZoneService(ZoneRepository zones, AccountRepository accounts, ChangeLog changeLog, AuditTrail audit) {
        this.zones = zones;
        this.accounts = accounts;
        this.changeLog = changeLog;
        this.audit = audit;
    }

    @Transactional
    public Applied<Zone> create(AccountScope scope, ZoneRequests.NewZone request) {
        String accountId = accounts.require(scope, request.accountId()).id();
        String id = Identifiers.newId();
        if (!zones.insert(id, accountId, request.name(), request.plan(), request.origin(), request.type())) {
            throw new ApiException(ApiErrorCode.ZONE_EXISTS, request.name() + " already exists");
        }
        long revision = changeLog.appendUpsert(id);
        Zone created = zones.require(scope, id);
        audit.record(AuditEvent.of(accountId, AuditAction.ZONE_CREATED).zone(id).values(null, auditFields(created)).revision(revision));
        return new Applied<>(created, revision);
    }

    /**
     * Applies the given fields. A plan change needs no setting writes: stored values the new plan
     * does not permit simply stop being in effect ({@code ZoneSettings.effective}), and the change-log
     * entry carries the re-derived settings.
     */
    @Transactional
    public Applied<Zone> edit(AccountScope scope, String zoneId, ZoneRequests.ZoneEdit edit) {
        Zone zone = zones.requireLocked(scope, zoneId);
        if (edit.type() != null && !edit.type().equals(zone.type())) {
            throw new ApiException(ApiErrorCode.INVALID_REQUEST, "The zone type cannot be changed");
        }
        Plan plan = edit.plan() == null ? zone.plan() : edit.plan();
        String origin = edit.origin() == null ? zone.origin() : edit.origin();
        boolean paused = edit.paused() == null ? zone.paused() : edit.paused();
        if (plan == zone.plan() && origin.equals(zone.origin()) && paused == zone.paused()) {
            return Applied.unchanged(zone);
        }
        zones.update(zoneId, plan, origin, paused);
        long revision = changeLog.appendUpsert(zoneId);
        Zone edited = zones.require(scope, zoneId);
        audit.record(AuditEvent.of(zone.accountId(), AuditAction.ZONE_EDITED).zone(zoneId)
                .values(auditFields(zone), auditFields(edited)).revision(revision));
        return new Applied<>(edited, revision);
    }

    @Transactional
    public Applied<String> delete(AccountScope scope, String zoneId) {
        Zone zone = zones.requireLocked(scope, zoneId);
        zones.delete(zoneId);
        long revision = changeLog.appendDeletion(zoneId, zone.name());
        audit.record(AuditEvent.of(zone.accountId(), AuditAction.ZONE_DELETED).zone(zoneId).values(auditFields(zone), null)
                .revision(revision));
        return new Applied<>(zoneId, revision);
    }

    /** What the audit log keeps of a zone: the fields an edit can change, and its name. */
    private static Map<String, Object> auditFields(Zone zone) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", zone.name());
        fields.put("plan", zone.plan().id());
        fields.put("origin", zone.hasOrigin() ? zone.origin() : null);
        fields.put("paused", zone.paused());
        return fields;
    }
}
