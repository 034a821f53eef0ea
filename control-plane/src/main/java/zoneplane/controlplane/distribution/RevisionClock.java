package zoneplane.controlplane.distribution;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The latest committed config revision this replica knows of. It only moves forward; whoever learns
 * of a newer revision (the NOTIFY listener, its polling fallback) calls {@link #advanceTo}, and every
 * registered listener is told once per advance, on the caller's thread (listeners must not block).
 */
@Component
public class RevisionClock {

    private final AtomicLong latest = new AtomicLong();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public long latest() {
        return latest.get();
    }

    /** Moves the clock to {@code revision} if that is newer; returns whether it moved. */
    public boolean advanceTo(long revision) {
        long previous = latest.getAndAccumulate(revision, Math::max);
        if (revision <= previous) {
            return false;
        }
        listeners.forEach(Runnable::run);
        return true;
    }

    public void onAdvance(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public String toString() {
        return "RevisionClock{latest=" + latest.get() + "}";
    }
}
