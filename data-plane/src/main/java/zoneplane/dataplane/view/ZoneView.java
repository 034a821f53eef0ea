package zoneplane.dataplane.view;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import zoneplane.model.Change;
import zoneplane.model.ZoneConfig;

/**
 * An immutable host → zone view at one config revision.
 *
 * <p>Zones are spread over {@value #SHARDS} shards by name; each shard is an open-addressing table
 * (linear probing) of {@link ZoneConfig}s keyed by their own {@code name()}, so an entry costs one
 * array slot instead of a hash-map node (SPEC §8: ≤ 300 bytes per zone). Applying a change copies
 * only the shards it touches (a few hundred slots at 100k zones) instead of the whole view, while every
 * reader still sees one consistent revision. Readers never lock: they read a {@code ZoneView}
 * reference once per request and use that instance throughout. Shard tables are filled before the
 * view is constructed and never written after, and are reached only through final fields, so they
 * are safely published with the view.
 */
public final class ZoneView {

    private static final int SHARDS = 256;
    private static final ZoneConfig[] NO_SLOTS = new ZoneConfig[0];

    private static final ZoneView EMPTY = new ZoneView(0, emptyShards(), 0);

    private final long revision;
    private final Shard[] shards;
    private final int size;

    private ZoneView(long revision, Shard[] shards, int size) {
        this.revision = revision;
        this.shards = shards;
        this.size = size;
    }

    /** The view with no zone at revision 0, before anything was loaded. */
    public static ZoneView empty() {
        return EMPTY;
    }

    /** A view of {@code zones} at {@code revision}, e.g. from a snapshot. */
    public static ZoneView of(long revision, Collection<ZoneConfig> zones) {
        Shard[] shards = emptyShards();
        int size = 0;
        for (ZoneConfig zone : zones) {
            int index = shardOf(zone.name());
            if (shards[index] == Shard.EMPTY) {
                shards[index] = new Shard(NO_SLOTS, 0);
            }
            size += shards[index].put(zone);
        }
        return new ZoneView(revision, shards, size);
    }

    public long revision() {
        return revision;
    }

    public int size() {
        return size;
    }

    /**
     * The view after {@code changes}, which must follow this view's revision without a gap
     * ({@code revision + 1, revision + 2, …}). A change that does not fit throws
     * {@link IllegalStateException} and this view stays as it was.
     */
    public ZoneView apply(List<Change> changes) {
        if (changes.isEmpty()) {
            return this;
        }
        Shard[] next = shards.clone();
        boolean[] copied = new boolean[SHARDS];
        long expected = revision + 1;
        int nextSize = size;
        for (Change change : changes) {
            if (change.revision() != expected) {
                throw new IllegalStateException("change " + change.revision() + " does not follow revision "
                        + (expected - 1));
            }
            expected++;
            if (change instanceof Change.ZoneUpserted upserted) {
                // A zone keeps its name for life (the API has no rename), so an upsert replaces by name.
                ZoneConfig zone = upserted.zone();
                nextSize += writable(next, copied, shardOf(zone.name())).put(zone);
            } else if (change instanceof Change.ZoneDeleted deleted) {
                int index = shardOf(deleted.name());
                ZoneConfig existing = next[index].get(deleted.name());
                if (existing != null && existing.id().equals(deleted.zoneId())) {
                    nextSize -= writable(next, copied, index).remove(deleted.name());
                }
            }
        }
        return new ZoneView(expected - 1, next, nextSize);
    }

    /**
     * The same zones at {@code revision}, which must be the next one: a change the node read but
     * refused to apply still moves it along the stream (every zone keeps its config).
     */
    public ZoneView skip(long revision) {
        if (revision != this.revision + 1) {
            throw new IllegalStateException("change " + revision + " does not follow revision " + this.revision);
        }
        return new ZoneView(revision, shards, size);
    }

    public ZoneView apply(Change change) {
        return apply(List.of(change));
    }

    /** The zone of an exact name (lower-case, no port, no trailing dot). */
    public Optional<ZoneConfig> zone(String name) {
        return Optional.ofNullable(shards[shardOf(name)].get(name));
    }

    /**
     * The zone serving {@code host} as a request names it (case-insensitive, port and trailing dot
     * ignored): the exact name, else the longest parent zone ({@code api.example.com} →
     * {@code example.com}); null when none. Null rather than Optional because this is the per-request path.
     */
    public ZoneConfig route(String host) {
        String name = HostNames.normalize(host);
        if (name == null) {
            return null;
        }
        while (true) {
            ZoneConfig zone = shards[shardOf(name)].get(name);
            if (zone != null) {
                return zone;
            }
            int dot = name.indexOf('.');
            if (dot < 0 || dot == name.length() - 1) {
                return null;
            }
            name = name.substring(dot + 1);
        }
    }

    /** Every zone, in no particular order (for the disk cache and metrics). */
    public void forEach(Consumer<ZoneConfig> action) {
        for (Shard shard : shards) {
            for (ZoneConfig zone : shard.slots) {
                if (zone != null) {
                    action.accept(zone);
                }
            }
        }
    }

    private static Shard writable(Shard[] shards, boolean[] copied, int index) {
        if (!copied[index]) {
            shards[index] = shards[index].copy();
            copied[index] = true;
        }
        return shards[index];
    }

    private static int hash(String name) {
        int h = name.hashCode();
        return h ^ (h >>> 16);
    }

    private static int shardOf(String name) {
        return hash(name) & (SHARDS - 1);
    }

    private static Shard[] emptyShards() {
        Shard[] shards = new Shard[SHARDS];
        java.util.Arrays.fill(shards, Shard.EMPTY);
        return shards;
    }

    @Override
    public String toString() {
        return "ZoneView{revision=" + revision + ", zones=" + size + "}";
    }

    /**
     * One open-addressing table. Mutable only while a view is being built (a fresh or freshly
     * copied shard); shards of a constructed view are never written again.
     */
    private static final class Shard {

        static final Shard EMPTY = new Shard(NO_SLOTS, 0);

        ZoneConfig[] slots;
        int count;

        Shard(ZoneConfig[] slots, int count) {
            this.slots = slots;
            this.count = count;
        }

        Shard copy() {
            return new Shard(slots.clone(), count);
        }

        ZoneConfig get(String name) {
            ZoneConfig[] table = slots;
            if (table.length == 0) {
                return null;
            }
            int mask = table.length - 1;
            for (int i = home(name, mask); ; i = (i + 1) & mask) {
                ZoneConfig zone = table[i];
                if (zone == null || zone.name().equals(name)) {
                    return zone;
                }
            }
        }

        /** Inserts or replaces by name; returns 1 when the name is new, else 0. */
        int put(ZoneConfig zone) {
            if ((count + 1) * 4 > slots.length * 3) {
                resize(Math.max(4, slots.length * 2));
            }
            int mask = slots.length - 1;
            for (int i = home(zone.name(), mask); ; i = (i + 1) & mask) {
                ZoneConfig existing = slots[i];
                if (existing == null) {
                    slots[i] = zone;
                    count++;
                    return 1;
                }
                if (existing.name().equals(zone.name())) {
                    slots[i] = zone;
                    return 0;
                }
            }
        }

        /** Removes by name with backward-shift deletion (no tombstones); returns 1 when it was there. */
        int remove(String name) {
            int mask = slots.length - 1;
            int i = home(name, mask);
            while (slots[i] != null && !slots[i].name().equals(name)) {
                i = (i + 1) & mask;
            }
            if (slots[i] == null) {
                return 0;
            }
            slots[i] = null;
            count--;
            for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
                int k = home(slots[j].name(), mask);
                // Move slots[j] into the hole at i unless its home lies cyclically in (i, j].
                boolean homeBetween = i <= j ? (i < k && k <= j) : (i < k || k <= j);
                if (!homeBetween) {
                    slots[i] = slots[j];
                    slots[j] = null;
                    i = j;
                }
            }
            return 1;
        }

        private void resize(int capacity) {
            ZoneConfig[] old = slots;
            slots = new ZoneConfig[capacity];
            count = 0;
            for (ZoneConfig zone : old) {
                if (zone != null) {
                    put(zone);
                }
            }
        }

        /** The home slot uses hash bits above the 8 that chose the shard. */
        private static int home(String name, int mask) {
            return (hash(name) >>> 8) & mask;
        }
    }
}
