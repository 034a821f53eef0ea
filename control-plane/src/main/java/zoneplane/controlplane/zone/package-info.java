/**
 * Zones: creation, listing and filters, editing (plan changes reset settings the new plan does not
 * allow), activation and deletion, origins and their address policy, name servers, and the API's zone
 * resource ({@code ZoneResource}).
 */
package zoneplane.controlplane.zone;
