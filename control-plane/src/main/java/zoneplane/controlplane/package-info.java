/**
 * The Zoneplane control plane: a Spring Boot application that owns zones, their settings, API tokens
 * and the audit log in PostgreSQL, serves a Cloudflare-compatible REST API for them, and streams every
 * change as a config revision to the data-plane nodes. Each subpackage is one feature with its own
 * controller, service, repository and records; this package holds only the application's entry point
 * and the ports and paths that operators, the Helm chart and nodes depend on.
 */
package zoneplane.controlplane;
