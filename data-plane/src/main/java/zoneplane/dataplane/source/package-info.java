/**
 * Where a node's zone view comes from ({@code ViewSource}): a snapshot file, or the control plane through
 * {@code subscriber}; {@code ViewSources} picks one from the configuration and {@code ConfigFreshness}
 * reports how current the served view is.
 */
package zoneplane.dataplane.source;
