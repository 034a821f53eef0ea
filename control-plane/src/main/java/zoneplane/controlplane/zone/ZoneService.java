package zoneplane.controlplane.zone;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import zoneplane.model.wire.SettingJson;

/**
 * Creating, editing and deleting zones. Each accepted change is one transaction that writes the
 * zone and appends one change-log revision; an edit that changes nothing writes nothing.
 *
 * <p>Plans are billing: only the operator may put a zone on a plan other than Free or change its
 * plan; a tenant's token gets 403 (asking for the plan the zone already has is a no-op, as tools
 * that re-apply their whole configuration do). Origins pass {@link OriginPolicy}.
 */
@Service
class ZoneService {

    private final ZoneRepository zones;
    private final AccountRepository accounts;
    private final ChangeLog changeLog;
    private final AuditTrail audit;
    private final OriginPolicy origins;
    private final PlanSettings planSettings;

    ZoneService(ZoneRepository zones, AccountRepository accounts, ChangeLog changeLog, AuditTrail audit,
            OriginPolicy origins, PlanSettings planSettings) {
        this.zones = zones;
        this.accounts = accounts;
        this.changeLog = changeLog;
        this.audit = audit;
        this.origins = origins;
        this.planSettings = planSettings;
    }

    /**
     * Creates the zone, active when no zone of its name is active (in any account), else pending
     * (see {@link #activationCheck}). The same name twice in one account is 400, code 1061; whether
     * another account holds the name is never an error.
     */
    @Transactional
    public Applied<Zone> create(AccountScope scope, ZoneRequests.NewZone request) {
        String accountId = accounts.require(scope, request.accountId()).id();
        if (request.plan() != Plan.FREE) {
            requireOperatorForPlan(scope);
        }
        origins.check(request.origin());
        zones.lockName(request.name());
        if (zones.accountHolds(accountId, request.name())) {
            throw new ApiException(ApiErrorCode.ZONE_EXISTS, request.name() + " already exists");
        }
        String id = Identifiers.newId();
        boolean active = zones.activeHolder(request.name(), id).isEmpty();
        zones.insert(id, accountId, request.name(), request.plan(), request.origin(), request.type(), active);
        long revision = changeLog.appendUpsert(id);
        Zone created = zones.require(scope, id);
        audit.record(AuditEvent.of(accountId, AuditAction.ZONE_CREATED).zone(id).values(null, auditFields(created)).revision(revision));
        return new Applied<>(created, revision);
    }

    /**
     * Cloudflare's activation check. A pending or moved zone becomes active when no other zone of its
     * name is active; otherwise a tenant's check changes nothing (the zone stays as it is, and the
     * active zone is untouched: one tenant cannot take a name another serves). The operator's check
     * settles a dispute: it activates the zone and moves the active one ({@code moved}, no longer
     * served). An active zone is left as it is. At most one zone of a name is ever active (a partial
     * unique index), and the edge serves only active zones.
     */
    @Transactional
    public Applied<Zone> activationCheck(AccountScope scope, String zoneId) {
        Zone seen = zones.require(scope, zoneId);
        if (seen.isActive()) {
            return Applied.unchanged(seen);
        }
        zones.lockName(seen.name());
        Optional<String> holder = zones.activeHolder(seen.name(), zoneId);
        boolean operator = scope.account().isEmpty();
        if (holder.isPresent() && !operator) {
            return Applied.unchanged(seen);
        }
        List<String> ids = new ArrayList<>(List.of(zoneId));
        holder.ifPresent(ids::add);
        Map<String, Zone> locked = zones.lockAll(ids); // in id order, as every multi-zone writer locks
        Zone zone = locked.get(zoneId);
        if (zone == null || !scope.covers(zone.accountId(), zoneId)) {
            throw ZoneRepository.notFound();
        }
        if (zone.isActive()) {
            return Applied.unchanged(zone);
        }
        Zone displaced = holder.map(locked::get).filter(Zone::isActive).orElse(null);
        if (displaced != null) {
            zones.setStatus(displaced.id(), Zone.MOVED);
            long moved = changeLog.appendUpsert(displaced.id()); // a zone no longer active is withdrawn from the edge
            audit.record(AuditEvent.of(displaced.accountId(), AuditAction.ZONE_EDITED).zone(displaced.id())
                    .values(Map.of("status", Zone.ACTIVE), Map.of("status", Zone.MOVED)).revision(moved));
        }
        zones.setStatus(zoneId, Zone.ACTIVE);
        long revision = changeLog.appendUpsert(zoneId);
        audit.record(AuditEvent.of(zone.accountId(), AuditAction.ZONE_EDITED).zone(zoneId)
                .values(Map.of("status", zone.status()), Map.of("status", Zone.ACTIVE)).revision(revision));
        return new Applied<>(zones.require(scope, zoneId), revision);
    }

    /**
     * Applies the given fields. A plan change (the operator's only) deletes the stored setting values
     * the new plan does not permit, so they are back at its default, in the same transaction and
     * revision; each such reset is audited as a setting edit of that revision.
     */
    @Transactional
    public Applied<Zone> edit(AccountScope scope, String zoneId, ZoneRequests.ZoneEdit edit) {
        Zone zone = zones.requireLocked(scope, zoneId);
        if (edit.type() != null && !edit.type().equals(zone.type())) {
            throw new ApiException(ApiErrorCode.INVALID_REQUEST, "The zone type cannot be changed");
        }
        Plan plan = edit.plan() == null ? zone.plan() : edit.plan();
        if (plan != zone.plan()) {
            requireOperatorForPlan(scope);
        }
        String origin = edit.origin() == null ? zone.origin() : edit.origin();
        if (!origin.equals(zone.origin())) {
            origins.check(origin);
        }
        boolean paused = edit.paused() == null ? zone.paused() : edit.paused();
        if (plan == zone.plan() && origin.equals(zone.origin()) && paused == zone.paused()) {
            return Applied.unchanged(zone);
        }
        zones.update(zoneId, plan, origin, paused);
        List<PlanSettings.Reset> resets = plan == zone.plan() ? List.of() : planSettings.resetForPlan(zoneId, plan);
        long revision = changeLog.appendUpsert(zoneId);
        Zone edited = zones.require(scope, zoneId);
        List<AuditEvent> events = new ArrayList<>();
        events.add(AuditEvent.of(zone.accountId(), AuditAction.ZONE_EDITED).zone(zoneId)
                .values(auditFields(zone), auditFields(edited)).revision(revision));
        for (PlanSettings.Reset reset : resets) {
            events.add(AuditEvent.of(zone.accountId(), AuditAction.ZONE_SETTING_EDITED).zone(zoneId)
                    .setting(reset.setting().id())
                    .values(SettingJson.value(reset.before()), SettingJson.value(reset.after())).revision(revision));
        }
        AuditTrail.Actor actor = AuditTrail.currentActor();
        audit.record(events.stream().map(event -> new AuditTrail.Attributed(event, actor)).toList());
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

    /** Plans are billing, the operator's: a tenant's token may not choose or change one (403). */
    private static void requireOperatorForPlan(AccountScope scope) {
        if (scope.account().isPresent()) {
            throw new ApiException(ApiErrorCode.FORBIDDEN, "Plan changes are made by the operator (billing) only: "
                    + "an account's API token cannot choose or change a zone's plan");
        }
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
