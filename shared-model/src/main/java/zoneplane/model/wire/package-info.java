/**
 * The formats between the planes, in one place: zone and change JSON ({@code WireFormat}), snapshots
 * ({@code SnapshotReader}, {@code SnapshotWriter}), the change stream's line protocol ({@code StreamLine})
 * and the node's report ({@code NodeReport}). Readers are lenient where a newer control plane may say more
 * (unknown fields and setting ids are ignored) and throw {@code WireFormatException} on malformed input.
 */
package zoneplane.model.wire;
