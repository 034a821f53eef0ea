/**
 * Logpush at the edge (issue 23): every node delivers the {@code http_requests} records of its own
 * exchanges straight to each enabled job's destination. {@link zoneplane.dataplane.logpush.NodeLogpush}
 * assembles it: the exchange hook's {@link zoneplane.dataplane.logpush.LogpushListener} hands records to the
 * logpush thread through a bounded queue; per job a pipeline filters, samples and formats them, batches them
 * by the job's {@code max_upload_*} limits, spools sealed batches on disk and delivers them at least once with
 * backoff; the job feed and the outcome reports talk to the control plane.
 * {@link zoneplane.dataplane.logpush.LogDestination} is what a destination (HTTP, Kafka) implements.
 */
package zoneplane.dataplane.logpush;
