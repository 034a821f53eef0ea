package zoneplane.controlplane.distribution;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code edge_nodes} table. Every report is an upsert that stamps {@code last_seen}; its trigger
 * NOTIFYs {@code zoneplane_node_reports}, so a replica waiting on propagation wakes whichever replica
 * the node reported to. Liveness is decided in SQL against the database clock, so replicas agree.
 */
@Repository
public class EdgeNodeRegistry {

    /** How many live nodes applied a revision, of how many live nodes. */
    public record Progress(int applied, int live) {
        public boolean complete() {
            return applied == live;
        }
    }

    private static final String COLUMNS =
            "node_id, version, address, applied_revision, registered_on, last_seen, last_seen > now() - make_interval(secs => ?) as live";

    private final JdbcTemplate jdbc;
    private final double deadAfterSeconds;

    public EdgeNodeRegistry(JdbcTemplate jdbc, DistributionProperties properties) {
        this.jdbc = jdbc;
        this.deadAfterSeconds = properties.nodeDeadAfter().toMillis() / 1000.0;
    }

    /** Records a node's report (registering it on first sight) and returns the stored row. */
    public EdgeNode report(String nodeId, String version, String address, long appliedRevision) {
        return jdbc.queryForObject("""
                insert into edge_nodes (node_id, version, address, applied_revision)
                values (?, ?, ?, ?)
                on conflict (node_id) do update set version = excluded.version, address = excluded.address,
                    applied_revision = excluded.applied_revision, last_seen = now()
                returning\s""" + COLUMNS,
                EdgeNodeRegistry::row, nodeId, version, address, appliedRevision, deadAfterSeconds);
    }

    /** Every known node, live ones first, then by id. */
    public List<EdgeNode> all() {
        return jdbc.query("select " + COLUMNS + " from edge_nodes order by live desc, node_id",
                EdgeNodeRegistry::row, deadAfterSeconds);
    }

    /** Live nodes only, by id. */
    public List<EdgeNode> live() {
        return all().stream().filter(EdgeNode::live).toList();
    }

    public Progress progress(long revision) {
        return jdbc.queryForObject("""
                select count(*) filter (where applied_revision >= ?), count(*) from edge_nodes
                where last_seen > now() - make_interval(secs => ?)""",
                (rs, i) -> new Progress(rs.getInt(1), rs.getInt(2)), revision, deadAfterSeconds);
    }

    /** Removes nodes not seen for {@code seconds}; returns how many. */
    public int forgetNotSeenFor(double seconds) {
        return jdbc.update("delete from edge_nodes where last_seen < now() - make_interval(secs => ?)", seconds);
    }

    private static EdgeNode row(ResultSet rs, int i) throws SQLException {
        return new EdgeNode(rs.getString("node_id"), rs.getString("version"), rs.getString("address"),
                rs.getLong("applied_revision"), rs.getTimestamp("registered_on").toInstant(),
                rs.getTimestamp("last_seen").toInstant(), rs.getBoolean("live"));
    }
}
