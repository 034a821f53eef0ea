package zoneplane.controlplane.distribution;

import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.api.Timestamps;

/**
 * {@code PUT /internal/v1/nodes/{node_id}} with {@code {"version":…,"address":…,"applied_revision":n}}:
 * a node registers on its first report and reports its applied revision afterwards (nodes send it
 * after applying and every few seconds as a keep-alive). Answers the stored record.
 */
@RestController
public class NodesController {

    public static final String NODES_PATH = "/internal/v1/nodes";

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    /** What a node sees of its own record. */
    public record NodeRecord(String node_id, String version, String address, long applied_revision,
            String registered_on, String last_seen) {}

    private final EdgeNodeRegistry registry;

    public NodesController(EdgeNodeRegistry registry) {
        this.registry = registry;
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
        EdgeNode node = registry.report(nodeId, version, address, applied.asLong());
        return InternalResponses.ok(new NodeRecord(node.nodeId(), node.version(), node.address(),
                node.appliedRevision(), Timestamps.format(node.registeredOn()), Timestamps.format(node.lastSeen())));
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
