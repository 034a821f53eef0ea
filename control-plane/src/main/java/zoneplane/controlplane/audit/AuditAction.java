package zoneplane.controlplane.audit;

/** The kinds of change the audit log knows; {@link #wire()} is what is stored and answered. */
public enum AuditAction {
    ACCOUNT_CREATED,
    ZONE_CREATED,
    ZONE_EDITED,
    ZONE_DELETED,
    ZONE_SETTING_EDITED,
    TOKEN_CREATED,
    TOKEN_REVOKED,
    LOGPUSH_JOB_CREATED,
    LOGPUSH_JOB_EDITED,
    LOGPUSH_JOB_DELETED;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
