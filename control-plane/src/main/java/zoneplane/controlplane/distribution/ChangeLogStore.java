package zoneplane.controlplane.distribution;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads the change log and its retention mark. Writers (the API) append under the
 * {@code config_revision} row lock, so revisions commit in order: a query for {@code revision > n}
 * returns a gap-free run unless compaction removed the start of it.
 */
@Repository
public class ChangeLogStore {

    /** One change as the stream serves it: its revision and the stored payload (one JSON line). */
    public record Entry(long revision, String payload) {}

    /** What compaction removed: the new retention mark and how many rows it deleted. */
    public record Compaction(long compactedThrough, int deleted) {}

    private final JdbcTemplate jdbc;

    public ChangeLogStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The latest committed revision (0 before the first change). */
    public long latestRevision() {
        Long revision = jdbc.queryForObject("select revision from config_revision", Long.class);
        return revision == null ? 0 : revision;
    }

    /** The highest revision compaction deleted: a node needs {@code after >= } this to resume. */
    public long compactedThrough() {
        Long through = jdbc.queryForObject("select compacted_through from change_log_retention", Long.class);
        return through == null ? 0 : through;
    }

    /** Up to {@code limit} changes after {@code after}, in revision order. */
    public List<Entry> after(long after, int limit) {
        return jdbc.query(
                "select revision, payload::text from change_log where revision > ? order by revision limit ?",
                (rs, i) -> new Entry(rs.getLong(1), rs.getString(2)),
                after, limit);
    }

    /**
     * Deletes changes that are both older than the newest {@code keepRevisions} and older than
     * {@code keepSeconds}, and moves the retention mark in the same transaction (under its row lock,
     * so two replicas compacting at once serialise). The mark only moves forward.
     */
    @Transactional
    public Compaction compact(long keepRevisions, long keepSeconds) {
        long marked = jdbc.queryForObject(
                "select compacted_through from change_log_retention for update", Long.class);
        long byCount = latestRevision() - keepRevisions;
        Long byAge = jdbc.queryForObject(
                "select coalesce(max(revision), 0) from change_log where created_at < now() - make_interval(secs => ?)",
                Long.class, (double) keepSeconds);
        long through = Math.min(byCount, byAge == null ? 0 : byAge);
        if (through <= marked) {
            return new Compaction(marked, 0);
        }
        int deleted = jdbc.update("delete from change_log where revision <= ?", through);
        jdbc.update("update change_log_retention set compacted_through = ?, compacted_at = now()", through);
        return new Compaction(through, deleted);
    }
}
