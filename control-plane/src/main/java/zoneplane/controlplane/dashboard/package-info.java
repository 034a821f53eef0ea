/**
 * The operator's web console: static pages under {@code /dashboard} that call the public API with a
 * token like any other client. No server-side rendering and no API of its own.
 */
package zoneplane.controlplane.dashboard;
