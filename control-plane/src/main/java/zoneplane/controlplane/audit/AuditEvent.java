package zoneplane.controlplane.audit;

import java.util.Objects;

/**
 * One change to record: in which account, what kind ({@link AuditAction}), on which zone and
 * setting (when it concerns one), the value before and after (any JSON-serializable value: a string,
 * a number, a map; null when there was none) and the config revision the change created (null for
 * changes that do not reach the data plane, such as token management). Who and under which request
 * are taken from the request by {@link AuditTrail}.
 */
public record AuditEvent(
        String accountId,
        AuditAction action,
        String zoneId,
        String settingId,
        Object oldValue,
        Object newValue,
        Long revision) {

    public AuditEvent {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(action, "action");
    }

    public static AuditEvent of(String accountId, AuditAction action) {
        return new AuditEvent(accountId, action, null, null, null, null, null);
    }

    public AuditEvent zone(String id) {
        return new AuditEvent(accountId, action, id, settingId, oldValue, newValue, revision);
    }

    public AuditEvent setting(String id) {
        return new AuditEvent(accountId, action, zoneId, id, oldValue, newValue, revision);
    }

    public AuditEvent values(Object before, Object after) {
        return new AuditEvent(accountId, action, zoneId, settingId, before, after, revision);
    }

    public AuditEvent revision(long value) {
        return new AuditEvent(accountId, action, zoneId, settingId, oldValue, newValue, value);
    }
}
