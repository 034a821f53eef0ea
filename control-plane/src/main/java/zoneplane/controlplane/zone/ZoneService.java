package zoneplane.controlplane.zone;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import zoneplane.controlplane.account.AccountRepository;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.Identifiers;
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

    ZoneService(ZoneRepository zones, AccountRepository accounts, ChangeLog changeLog) {
        this.zones = zones;
        this.accounts = accounts;
        this.changeLog = changeLog;
    }

    @Transactional
    public Applied<Zone> create(AccountScope scope, ZoneRequests.NewZone request) {
        String accountId = accounts.require(scope, request.accountId()).id();
        String id = Identifiers.newId();
        if (!zones.insert(id, accountId, request.name(), request.plan(), request.origin(), request.type())) {
            throw new ApiException(ApiErrorCode.ZONE_EXISTS, request.name() + " already exists");
        }
        long revision = changeLog.appendUpsert(id);
        return new Applied<>(zones.require(scope, id), revision);
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
        return new Applied<>(zones.require(scope, zoneId), revision);
    }

    @Transactional
    public Applied<String> delete(AccountScope scope, String zoneId) {
        Zone zone = zones.requireLocked(scope, zoneId);
        zones.delete(zoneId);
        return new Applied<>(zoneId, changeLog.appendDeletion(zoneId, zone.name()));
    }
}
