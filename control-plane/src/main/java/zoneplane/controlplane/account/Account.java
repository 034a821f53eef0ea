package zoneplane.controlplane.account;

import java.time.Instant;

/** An account: the tenant that owns zones. */
public record Account(String id, String name, Instant createdOn) {}
