/**
 * The change log: every change that reaches the edge is appended as a numbered config revision with
 * the zone's full {@code ZoneConfig} (assembled in one place, {@code ZoneConfigs}), in the
 * transaction of the change. Distribution reads it; features append to it and get an {@code Applied}
 * outcome (result and revision) back.
 */
package zoneplane.controlplane.changelog;
