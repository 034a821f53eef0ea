package zoneplane.controlplane.distribution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.api.Timestamps;
import zoneplane.model.wire.NodeReport;

/**
 * {@code PUT /internal/v1/nodes/{node_id}} with a {@link NodeReport}
 * ({@code {"version":…,"address":…,"applied_revision":n,"refused":[…]}}): a node registers on its
 * first report and reports its applied revision afterwards (nodes send it after applying and every
 * few seconds as a keep-alive), with the changes it refused (NACKs; optional, for older nodes).
 * Answers the stored record. Refusals a node reports for the first time are counted
 * ({@code zoneplane_distribution_node_refusals_total}) and logged; a report that moves the node
 * forward times the newest revision's way from its transaction to the node
 * ({@code zoneplane_distribution_propagation_seconds}).
 */
@RestController
public class NodesController {

    public static final String NODES_PATH = "/internal/v1/nodes";

    /** What a node id may be (the path segment of every per-node endpoint). */
    public static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    /** What a node sees of its own record. */
    public record NodeRecord(String node_id, String version, String address, long applied_revision,
            String registered_on, String last_seen) {}

    private static final Logger log = LoggerFactory.getLogger(NodesController.class);

    /** From a live stream's tens of milliseconds to a node that was away for minutes. */
    private static final Duration[] PROPAGATION_BUCKETS = {
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5)};

    private final EdgeNodeRegistry registry;
    private final Counter refusals;
    private final Timer propagation;

    public NodesController(EdgeNodeRegistry registry, MeterRegistry meters) {
        this.registry = registry;
        this.refusals = Counter.builder("zoneplane.distribution.node.refusals")
                .description("Changes edge nodes reported they could not apply (NACKs), counted once per node and revision")
                .register(meters);
        this.propagation = Timer.builder("zoneplane.distribution.propagation")
                .description("Seconds from a change's transaction to a node reporting it applied (the newest revision of each report)")
                .serviceLevelObjectives(PROPAGATION_BUCKETS)
                .register(meters);
    }

    @PutMapping(NODES_PATH + "/{nodeId}")
    public ResponseEntity<Envelope<NodeRecord>> report(@PathVariable String nodeId,
            @RequestBody JsonNode body) {
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw invalid("node_id must be 1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
        }
        if (body == null || !body.isObject()) {
            throw invalid("body must be a JSON object with version, address and applied_revision");
        }
        String version = text(body, "version", 100);
        String address = text(body, "address", 300);
        JsonNode applied = body.get("applied_revision");
        if (applied == null || !applied.isIntegralNumber() || !applied.canConvertToLong() || applied.asLong() < 0) {
            throw invalid("applied_revision must be a non-negative integer");
        }
        List<NodeReport.Refusal> refused = refusals(body.get("refused"), applied.asLong());
        EdgeNodeRegistry.Reported reported = registry.report(nodeId,
                new NodeReport(version, address, applied.asLong(), refused));
        reported.propagationSeconds().ifPresent(seconds -> propagation.record(Duration.ofNanos((long) (seconds * 1e9))));
        if (reported.newRefusals() > 0) {
            refusals.increment(reported.newRefusals());
            log.warn("edge node {} refused {} change(s) it could not apply: {}", nodeId, reported.newRefusals(), refused);
        }
        EdgeNode node = reported.node();
        return InternalResponses.ok(new NodeRecord(node.nodeId(), node.version(), node.address(),
                node.appliedRevision(), Timestamps.format(node.registeredOn()), Timestamps.format(node.lastSeen())));
    }

    private static List<NodeReport.Refusal> refusals(JsonNode refused, long applied) {
        if (refused == null || refused.isNull()) {
            return List.of();
        }
        if (!refused.isArray() || refused.size() > NodeReport.MAX_REFUSALS) {
            throw invalid("refused must be an array of at most " + NodeReport.MAX_REFUSALS + " objects");
        }
        List<NodeReport.Refusal> out = new ArrayList<>();
        for (JsonNode r : refused) {
            JsonNode revision = r.get("revision");
            JsonNode zone = r.get("zone_id");
            JsonNode reason = r.get("reason");
            if (!r.isObject() || revision == null || !revision.isIntegralNumber() || !revision.canConvertToLong()
                    || revision.asLong() < 1 || revision.asLong() > applied) {
                throw invalid("each refused change needs a revision between 1 and applied_revision");
            }
            if (zone != null && !zone.isNull() && (!zone.isString() || zone.asString().length() > 64)) {
                throw invalid("refused zone_id must be null or a string of at most 64 characters");
            }
            if (reason == null || !reason.isString() || reason.asString().length() > NodeReport.MAX_REASON) {
                throw invalid("refused reason must be a string of at most " + NodeReport.MAX_REASON + " characters");
            }
            out.add(new NodeReport.Refusal(revision.asLong(), zone == null || zone.isNull() ? null : zone.asString(),
                    reason.asString()));
        }
        return out;
    }

    private static String text(JsonNode body, String field, int maxLength) {
        JsonNode value = body.get(field);
        if (value == null || !value.isString() || value.asString().isBlank() || value.asString().length() > maxLength) {
            throw invalid(field + " must be a non-empty string of at most " + maxLength + " characters");
        }
        return value.asString();
    }

    private static RequestRefused invalid(String message) {
        return new RequestRefused(HttpStatus.BAD_REQUEST, InternalResponses.INVALID_REQUEST, message);
    }
}
