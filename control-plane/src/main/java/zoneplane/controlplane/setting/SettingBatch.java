package zoneplane.controlplane.setting;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import zoneplane.controlplane.zone.Zone;

/**
 * Decides and stores one batch of setting changes, at most one per zone, inside the caller's
 * transaction: the zones locked in one statement and their settings read in one, each change
 * {@linkplain SettingDecision decided} on its own, then for those that change something one
 * statement each for the values, the revisions (one per change, in batch order) and the audit rows.
 * A refused change does not affect the others. Knows no JSON and no HTTP: it takes typed values and
 * gives {@link SettingOutcome}s.
 */
@Component
class SettingBatch {

    private final ZoneSettingStore store;
    private final SettingRevisions revisions;
    private final SettingAudit audit;

    SettingBatch(ZoneSettingStore store, SettingRevisions revisions, SettingAudit audit) {
        this.store = store;
        this.revisions = revisions;
        this.audit = audit;
    }

    /** One outcome per edit, in order; only valid once the caller's transaction commits. */
    List<SettingOutcome> apply(List<SettingChange> edits) {
        Set<String> zoneIds = new LinkedHashSet<>();
        edits.forEach(edit -> zoneIds.add(edit.zoneId()));
        Map<String, Zone> locked = store.lock(zoneIds);
        Map<String, Map<String, StoredSetting>> stored = store.stored(locked.keySet());
        SettingOutcome[] outcomes = new SettingOutcome[edits.size()];
        List<SettingDecision.Accepted> accepted = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < edits.size(); i++) {
            SettingChange edit = edits.get(i);
            Zone zone = locked.get(edit.zoneId());
            ZoneSettingState before = zone == null ? null
                    : new ZoneSettingState(zone.plan(), stored.getOrDefault(zone.id(), Map.of()));
            SettingDecision.Decided decided = SettingDecision.decide(edit, zone, before);
            if (decided instanceof SettingDecision.Final done) {
                outcomes[i] = done.outcome();
            } else {
                accepted.add((SettingDecision.Accepted) decided);
                positions.add(i);
            }
        }
        if (!accepted.isEmpty()) {
            List<ZoneSettingState> after = store.write(accepted);
            long first = revisions.append(accepted, after);
            audit.record(accepted, first);
            for (int j = 0; j < accepted.size(); j++) {
                outcomes[positions.get(j)] = new SettingOutcome.Stored(accepted.get(j).views(after.get(j)), first + j);
            }
        }
        return List.of(outcomes);
    }
}
