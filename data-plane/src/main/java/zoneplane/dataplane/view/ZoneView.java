package zoneplane.dataplane.view;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import zoneplane.model.Change;
import zoneplane.model.ZoneConfig;

/**
 * An immutable host → zone view at one config revision.
 *
 * <p>Zones are spread over {@value #SHARDS} immutable hash maps by name, so applying a change copies
 * one shard (a few hundred entries at 100k zones) instead of the whole view, while every reader still
 * sees one consistent revision. Readers never lock: they read a {@code ZoneView} reference once per
 * request and use that instance throughout.
 */
public final class ZoneView {

    private static final int SHARDS = 256;

    private static final ZoneView EMPTY = new ZoneView(0, emptyShards(), 0);

    private final long revision;
    private final Map<String, ZoneConfig>[] shards;
    private final int size;

    private ZoneView(long revision, Map<String, ZoneConfig>[] shards, int size) {
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
        Map<String, ZoneConfig>[] shards = emptyShards();
        for (ZoneConfig zone : zones) {
            shards[shardOf(zone.name())].put(zone.name(), zone);
        }
        int size = 0;
        for (Map<String, ZoneConfig> shard : shards) {
            size += shard.size();
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
        Map<String, ZoneConfig>[] next = shards.clone();
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
                nextSize += upsert(next, copied, upserted.zone());
            } else if (change instanceof Change.ZoneDeleted deleted) {
                nextSize -= remove(next, copied, deleted.name(), deleted.zoneId());
            }
        }
        return new ZoneView(expected - 1, next, nextSize);
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
        for (Map<String, ZoneConfig> shard : shards) {
            shard.values().forEach(action);
        }
    }

    private static int upsert(Map<String, ZoneConfig>[] shards, boolean[] copied, ZoneConfig zone) {
        // A zone keeps its name for life (the API has no rename), so an upsert replaces by name.
        ZoneConfig previous = writable(shards, copied, shardOf(zone.name())).put(zone.name(), zone);
        return previous == null ? 1 : 0;
    }

    private static int remove(Map<String, ZoneConfig>[] shards, boolean[] copied, String name, String id) {
        int index = shardOf(name);
        ZoneConfig existing = shards[index].get(name);
        if (existing == null || !existing.id().equals(id)) {
            return 0;
        }
        writable(shards, copied, index).remove(name);
        return 1;
    }

    private static Map<String, ZoneConfig> writable(Map<String, ZoneConfig>[] shards, boolean[] copied, int index) {
        if (!copied[index]) {
            shards[index] = new HashMap<>(shards[index]);
            copied[index] = true;
        }
        return shards[index];
    }

    private static int shardOf(String name) {
        int h = name.hashCode();
        return (h ^ (h >>> 16)) & (SHARDS - 1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ZoneConfig>[] emptyShards() {
        Map<String, ZoneConfig>[] shards = new Map[SHARDS];
        for (int i = 0; i < SHARDS; i++) {
            shards[i] = new HashMap<>(4);
        }
        return shards;
    }

    @Override
    public String toString() {
        return "ZoneView{revision=" + revision + ", zones=" + size + "}";
    }
}
