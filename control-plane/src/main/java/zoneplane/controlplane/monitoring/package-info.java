/**
 * What the Prometheus endpoint exposes beyond Zoneplane's own meters, so that it passes
 * {@code promtool check metrics}: help texts for Spring's meters and the removal of duplicates.
 */
package zoneplane.controlplane.monitoring;
