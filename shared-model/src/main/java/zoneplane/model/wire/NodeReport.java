package zoneplane.model.wire;

import java.io.StringWriter;
import java.util.List;
import java.util.Objects;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;

/**
 * What a node tells the control plane ({@code PUT /internal/v1/nodes/{node_id}}):
 * <pre>
 * {"version":"…","address":"host:port","applied_revision":n,
 *  "refused":[{"revision":r,"zone_id":"…"|null,"reason":"…"}]}
 * </pre>
 * {@code applied_revision} is how far the node has read the change stream; {@code refused} lists the
 * changes up to it that the node could not apply (a NACK each), for zones it still serves as they
 * were before. A later good change of such a zone, or a snapshot, takes it off the list.
 */
public record NodeReport(String version, String address, long appliedRevision, List<Refusal> refused) {

    /** At most this many refusals travel in one report (the oldest first); the count says how many are held. */
    public static final int MAX_REFUSALS = 20;
    /** Longest reason a report carries (longer ones are cut). */
    public static final int MAX_REASON = 300;

    /** A change the node read but could not apply; {@code zoneId} is null when the change did not say. */
    public record Refusal(long revision, String zoneId, String reason) {
        public Refusal {
            Objects.requireNonNull(reason, "reason");
            if (reason.length() > MAX_REASON) {
                reason = reason.substring(0, MAX_REASON);
            }
        }
    }

    public NodeReport {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(address, "address");
        refused = List.copyOf(refused.size() > MAX_REFUSALS ? refused.subList(0, MAX_REFUSALS) : refused);
    }

    public String toJson() {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = WireFormat.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("version", version);
            g.writeStringProperty("address", address);
            g.writeNumberProperty("applied_revision", appliedRevision);
            g.writeName("refused");
            g.writeStartArray();
            for (Refusal refusal : refused) {
                g.writeStartObject();
                g.writeNumberProperty("revision", refusal.revision());
                if (refusal.zoneId() == null) {
                    g.writeNullProperty("zone_id");
                } else {
                    g.writeStringProperty("zone_id", refusal.zoneId());
                }
                g.writeStringProperty("reason", refusal.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toString();
    }
}
