package zoneplane.controlplane.distribution;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.springframework.stereotype.Component;

/**
 * The latest committed config revision this replica knows of. It moves forward as whoever learns of
 * a newer revision (the NOTIFY listener, its polling fallback) calls {@link #advanceTo}, and every
 * registered listener is told once per advance, on the caller's thread (listeners must not block).
 *
 * <p>It moves back only through {@link #rewindTo}: when the database itself went back (restored from
 * a backup, or a replica promoted without the last commits), which its listeners must handle.
 */
@Component
public class RevisionClock {

    private final AtomicLong latest = new AtomicLong();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<LongConsumer> rewindListeners = new CopyOnWriteArrayList<>();

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

    /**
     * Moves the clock back to {@code revision}, the database's own, if that is older; tells the rewind
     * listeners (with the new revision) and returns whether it moved.
     */
    public boolean rewindTo(long revision) {
        long previous = latest.getAndAccumulate(revision, Math::min);
        if (revision >= previous) {
            return false;
        }
        rewindListeners.forEach(listener -> listener.accept(revision));
        return true;
    }

    public void onRewind(LongConsumer listener) {
        rewindListeners.add(listener);
    }

    @Override
    public String toString() {
        return "RevisionClock{latest=" + latest.get() + "}";
    }
}
