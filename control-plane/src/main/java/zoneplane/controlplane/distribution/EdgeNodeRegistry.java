package zoneplane.controlplane.distribution;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import zoneplane.model.wire.NodeReport;

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
            "node_id, version, address, applied_revision, registered_on, last_seen, refused::text as refused, "
                    + "last_seen > now() - make_interval(secs => ?) as live";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;
    private final double deadAfterSeconds;

    public EdgeNodeRegistry(JdbcTemplate jdbc, DistributionProperties properties) {
        this.jdbc = jdbc;
        this.deadAfterSeconds = properties.nodeDeadAfter().toMillis() / 1000.0;
    }

    /** A report as stored, and how many of its refusals the node had not reported before. */
    public record Reported(EdgeNode node, int newRefusals) {}

    /** Records a node's report (registering it on first sight) and returns the stored row. */
    public Reported report(String nodeId, NodeReport report) {
        return jdbc.queryForObject("""
                with previous as (select refused from edge_nodes where node_id = ?)
                insert into edge_nodes (node_id, version, address, applied_revision, refused)
                values (?, ?, ?, ?, cast(? as jsonb))
                on conflict (node_id) do update set version = excluded.version, address = excluded.address,
                    applied_revision = excluded.applied_revision, refused = excluded.refused, last_seen = now()
                returning (select refused::text from previous) as previous,\s""" + COLUMNS,
                (rs, i) -> {
                    EdgeNode node = row(rs, i);
                    String previous = rs.getString("previous");
                    Set<Long> before = refusals(previous == null ? "[]" : previous).stream()
                            .map(NodeReport.Refusal::revision).collect(Collectors.toSet());
                    int fresh = (int) node.refused().stream().filter(r -> !before.contains(r.revision())).count();
                    return new Reported(node, fresh);
                },
                nodeId, nodeId, report.version(), report.address(), report.appliedRevision(), refusedJson(report),
                deadAfterSeconds);
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
                rs.getTimestamp("last_seen").toInstant(), rs.getBoolean("live"), refusals(rs.getString("refused")));
    }

    /** The stored refusals: [{"revision":n,"zone_id":"…"|null,"reason":"…"}], as the report carried them. */
    private static String refusedJson(NodeReport report) {
        String json = report.toJson();
        return JSON.readTree(json).get("refused").toString();
    }

    private static List<NodeReport.Refusal> refusals(String json) {
        List<NodeReport.Refusal> out = new ArrayList<>();
        for (JsonNode r : JSON.readTree(json)) {
            JsonNode zone = r.get("zone_id");
            out.add(new NodeReport.Refusal(r.get("revision").asLong(), zone == null || zone.isNull() ? null : zone.asString(),
                    r.get("reason").asString()));
        }
        return out;
    }
}
