/**
 * Logpush at the edge (issue 23): every node delivers the {@code http_requests} records of its own
 * exchanges straight to each enabled job's destination, batched by the job's {@code max_upload_*}
 * limits, spooled on disk while the destination is down, and reports delivery outcomes to the control
 * plane. {@link zoneplane.dataplane.logpush.LogDestination} is what a destination (HTTP, Kafka) implements.
 */
package zoneplane.dataplane.logpush;
