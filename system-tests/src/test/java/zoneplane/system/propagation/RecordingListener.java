package zoneplane.system.propagation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import zoneplane.dataplane.subscriber.ConfigSubscriber;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.Change;

/**
 * Watches one subscriber's published views and records every ordering violation: a batch of
 * changes must start right after the previous view's revision and be contiguous, so a gap, a
 * reordering or a change applied twice all show up here.
 */
final class RecordingListener implements ConfigSubscriber.ViewListener {

    final List<String> violations = new CopyOnWriteArrayList<>();
    final AtomicInteger snapshots = new AtomicInteger();
    final AtomicInteger changes = new AtomicInteger();
    volatile long firstView = -1;
    private long last = -1;

    @Override
    public synchronized void onView(ZoneView view, List<Change> applied) {
        if (firstView < 0) {
            firstView = view.revision();
        }
        if (applied.isEmpty()) {
            snapshots.incrementAndGet();
        } else {
            long expected = last + 1;
            for (Change change : applied) {
                if (change.revision() != expected) {
                    violations.add("expected revision " + expected + " but applied " + change.revision());
                }
                expected = change.revision() + 1;
            }
            changes.addAndGet(applied.size());
            if (view.revision() != applied.get(applied.size() - 1).revision()) {
                violations.add("view revision " + view.revision() + " differs from its last change");
            }
        }
        if (last >= 0 && view.revision() < last) {
            violations.add("went back from " + last + " to " + view.revision());
        }
        last = view.revision();
    }
}
