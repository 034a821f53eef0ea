package zoneplane.dataplane.view;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's current {@link ZoneView}, swapped atomically. Request handlers call {@link #current()}
 * once per request; whoever feeds config (the subscriber, a snapshot file) calls {@link #publish}.
 * Thread-safe; lock-free for readers.
 */
public final class LiveZoneView {

    private final AtomicReference<ZoneView> current = new AtomicReference<>(ZoneView.empty());
    private volatile boolean loaded;

    public ZoneView current() {
        return current.get();
    }

    /** True once any view (even one with no zone) was published: the node's readiness. */
    public boolean loaded() {
        return loaded;
    }

    /**
     * Makes {@code view} current unless a view of a higher revision is already published (a late
     * publisher never moves the node backwards). Returns whether the view was taken.
     */
    public boolean publish(ZoneView view) {
        while (true) {
            ZoneView existing = current.get();
            if (loaded && view.revision() < existing.revision()) {
                return false;
            }
            if (current.compareAndSet(existing, view)) {
                loaded = true;
                return true;
            }
        }
    }

    /**
     * Makes {@code view} current whatever its revision: for the control plane's own snapshot, which is
     * the truth even when older than what is served (its database was restored from a backup).
     */
    public void replace(ZoneView view) {
        current.set(view);
        loaded = true;
    }

    @Override
    public String toString() {
        return "LiveZoneView{" + current.get() + ", loaded=" + loaded + "}";
    }
}
