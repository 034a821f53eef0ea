/**
 * The audit log: who changed what, when, under which request and with which revision. Features record
 * {@code AuditEvent}s through {@code AuditTrail} in the transaction of the change; the actor is taken
 * from the request (token, request id, source address). Also the request id itself
 * ({@code X-Request-Id}), which the log, the audit rows and error answers share.
 */
package zoneplane.controlplane.audit;
