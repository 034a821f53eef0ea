package zoneplane.controlplane.distribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The most recent changes, kept in memory so that one wake-up serves every open stream with one
 * database query instead of one per node. Holds a gap-free run {@code first..last} of at most
 * {@code capacity} entries; a stream positioned before the run reads the database directly.
 * Thread-safe (one monitor; the database read happens under it so concurrent streams share it).
 */
final class ChangeTail {

    private static final int FETCH = 1000;

    private final ChangeLogStore store;
    private final ChangeLogStore.Entry[] ring;
    private long first = 1; // revision of the oldest entry held
    private long last;      // revision of the newest entry held; first > last means empty
    private boolean anchored;

    ChangeTail(ChangeLogStore store, int capacity) {
        this.store = store;
        this.ring = new ChangeLogStore.Entry[capacity];
    }

    /**
     * Up to {@code limit} changes after {@code position}, in order, from memory when held, else
     * from the database. The result may start with a revision above {@code position + 1} only when
     * those revisions no longer exist (compacted): the caller treats that as a gap.
     */
    List<ChangeLogStore.Entry> after(long position, int limit) {
        synchronized (this) {
            if (!anchored || position > last) {
                // The newest reader anchors the run: readers at the front share it, a reader far
                // behind reads the database instead of dragging the tail back.
                first = position + 1;
                last = position;
                anchored = true;
            }
            if (position == last) {
                refill();
            }
            if (position + 1 >= first && position < last) {
                return slice(position + 1, Math.min(last, position + limit));
            }
        }
        return store.after(position, limit);
    }

    /** Forgets every held change (the database went back: revisions above it will be different ones). */
    synchronized void reset() {
        Arrays.fill(ring, null);
        first = 1;
        last = 0;
        anchored = false;
    }

    private void refill() {
        List<ChangeLogStore.Entry> rows = store.after(last, FETCH);
        for (ChangeLogStore.Entry row : rows) {
            if (row.revision() != last + 1) {
                // Revisions below row were compacted away: restart the run at this row.
                first = row.revision();
            }
            ring[(int) (row.revision() % ring.length)] = row;
            last = row.revision();
            if (last - first + 1 > ring.length) {
                first = last - ring.length + 1;
            }
        }
    }

    private List<ChangeLogStore.Entry> slice(long from, long to) {
        List<ChangeLogStore.Entry> out = new ArrayList<>((int) (to - from + 1));
        for (long r = from; r <= to; r++) {
            out.add(ring[(int) (r % ring.length)]);
        }
        return out;
    }

    @Override
    public synchronized String toString() {
        return "ChangeTail{first=" + first + ", last=" + last + ", capacity=" + ring.length + "}";
    }
}
