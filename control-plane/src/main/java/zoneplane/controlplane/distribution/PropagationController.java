package zoneplane.controlplane.distribution;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.api.PageRequest;
import zoneplane.controlplane.api.ResultInfo;
import zoneplane.controlplane.api.Timestamps;
import zoneplane.controlplane.zone.ZoneRepository;
import zoneplane.model.wire.NodeReport;

/**
 * For the admin dashboard (SPEC §3.4): how far a zone's latest change has reached the edge
 * ({@code GET /zones/{zone_id}/propagation}, "applied on 2/3 edges"), and the data-plane nodes
 * ({@code GET /edge_nodes}). Both in the Cloudflare envelope; also served under {@code /client/v4}.
 */
@RestController
public class PropagationController {

    /**
     * One live node's view of the zone's latest revision. {@code refused} is set when the node could not
     * apply a change of this zone (it serves the zone's earlier config): then {@code applied} is false.
     */
    public record NodeProgress(String node_id, long applied_revision, boolean applied, String last_seen,
            RefusedChange refused) {}

    /** A change a node read but could not apply (its NACK): revision, zone (null if unknown) and reason. */
    public record RefusedChange(long revision, String zone_id, String reason) {
        static RefusedChange of(NodeReport.Refusal refusal) {
            return new RefusedChange(refusal.revision(), refusal.zoneId(), refusal.reason());
        }
    }

    /** The zone's latest revision and which live nodes have applied it. */
    public record ZonePropagation(String zone_id, long revision, long latest_revision, int applied, int live,
            boolean complete, List<NodeProgress> nodes) {}

    /**
     * A node as the operator sees it; {@code lag} counts revisions behind the latest; {@code refused}
     * lists the changes it could not apply (empty when all is well).
     */
    public record EdgeNodeView(String node_id, String version, String address, long applied_revision, long lag,
            boolean live, String last_seen, String registered_on, List<RefusedChange> refused) {}

    private final JdbcTemplate jdbc;
    private final ZoneRepository zones;
    private final EdgeNodeRegistry registry;
    private final ChangeLogStore store;

    public PropagationController(JdbcTemplate jdbc, ZoneRepository zones, EdgeNodeRegistry registry, ChangeLogStore store) {
        this.jdbc = jdbc;
        this.zones = zones;
        this.registry = registry;
        this.store = store;
    }

    /** The caller's scope decides visibility: another tenant's zone is 404, as everywhere in the API. */
    @GetMapping("/zones/{zone_id}/propagation")
    public Envelope<ZonePropagation> propagation(@PathVariable("zone_id") String zoneId, AccountScope scope) {
        zones.require(scope, zoneId);
        long revision = zoneRevision(zoneId);
        long latest = store.latestRevision();
        List<NodeProgress> nodes = registry.live().stream()
                .map(n -> {
                    RefusedChange refused = n.refusalOf(zoneId).map(RefusedChange::of).orElse(null);
                    return new NodeProgress(n.nodeId(), n.appliedRevision(),
                            refused == null && n.appliedRevision() >= revision, Timestamps.format(n.lastSeen()), refused);
                })
                .toList();
        int applied = (int) nodes.stream().filter(NodeProgress::applied).count();
        return Envelope.of(new ZonePropagation(zoneId, revision, latest, applied, nodes.size(), applied == nodes.size(), nodes));
    }

    @GetMapping("/edge_nodes")
    public Envelope<List<EdgeNodeView>> edgeNodes(@RequestParam(name = "page", required = false) String page,
            @RequestParam(name = "per_page", required = false) String perPage) {
        PageRequest request = PageRequest.parse(page, perPage);
        long latest = store.latestRevision();
        List<EdgeNodeView> all = registry.all().stream()
                .map(n -> new EdgeNodeView(n.nodeId(), n.version(), n.address(), n.appliedRevision(), n.lag(latest),
                        n.live(), Timestamps.format(n.lastSeen()), Timestamps.format(n.registeredOn()),
                        n.refused().stream().map(RefusedChange::of).toList()))
                .toList();
        int from = (int) Math.min(all.size(), request.offset());
        List<EdgeNodeView> slice = all.subList(from, Math.min(all.size(), from + request.perPage()));
        return Envelope.list(slice, ResultInfo.of(request, slice.size(), all.size()));
    }

    /**
     * The revision of the zone's latest change. When compaction removed it, every revision up to the
     * retention mark is older history, so the mark is a safe stand-in (a node at or past it has it).
     */
    private long zoneRevision(String zoneId) {
        Long revision = jdbc.queryForObject("select max(revision) from change_log where zone_id = ?", Long.class, zoneId);
        return revision != null ? revision : store.compactedThrough();
    }
}
