/**
 * Traffic analytics end to end (issue 22): real visitors through a real in-process node to real origins,
 * the node's usage shipped to a real control plane on PostgreSQL, read back through the GraphQL
 * Analytics API, and a control-plane outage and restart in the middle of shipping.
 */
package zoneplane.system.analytics;
