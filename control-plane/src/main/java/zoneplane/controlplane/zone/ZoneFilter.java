package zoneplane.controlplane.zone;

/** Filters of {@code GET /zones}; a null component means "any". */
record ZoneFilter(String name, String accountId, String status) {}
