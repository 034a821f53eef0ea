/**
 * Config distribution to data-plane nodes (SPEC §4): the snapshot at one revision, the change stream
 * from a revision on (woken by PostgreSQL notifications), node registration and reports, propagation
 * tracking and {@code Prefer: wait}, and the change log's compaction. Node-facing endpoints live under
 * {@code /internal/} and require the node token.
 */
package zoneplane.controlplane.distribution;
