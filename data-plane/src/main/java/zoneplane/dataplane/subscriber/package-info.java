/**
 * Following the control plane: {@code ConfigSubscriber} takes a snapshot, then the change stream, and turns
 * it into new views (a change that cannot be applied keeps the old view and is reported); the replicas to
 * try next ({@code ControlPlaneReplicas}), the HTTP calls ({@code ControlPlaneClient}), the node's reports,
 * and the disk cache of the last good view ({@code ViewCache}, {@code BinaryViewCodec}).
 */
package zoneplane.dataplane.subscriber;
