package zoneplane.system;

import tools.jackson.databind.JsonNode;

/** Reading {@code GET /zones/{id}/propagation} answers. */
final class Propagation {

    private Propagation() {}

    /** The entry of one live node; fails when the node is not listed (not live). */
    static JsonNode node(JsonNode propagation, String nodeId) {
        for (JsonNode n : propagation.get("nodes")) {
            if (n.get("node_id").asString().equals(nodeId)) {
                return n;
            }
        }
        throw new AssertionError(nodeId + " is not listed (not live?): " + propagation);
    }
}
