package zoneplane.dataplane.logpush;

import java.time.Duration;
import zoneplane.model.wire.LogpushJobs;

/**
 * When a job's open batch is sealed: at {@code max_upload_records} records, at {@code max_upload_bytes} bytes
 * (uncompressed, as Cloudflare counts them) or {@code max_upload_interval_seconds} after its first record,
 * whichever comes first. A limit of 0 leaves it to the node: {@link #DEFAULT_BYTES} (5 MB, Cloudflare's
 * smallest non-zero {@code max_upload_bytes}), {@link #DEFAULT_RECORDS} (100,000) and
 * {@link #DEFAULT_INTERVAL} (30 s, Cloudflare's smallest non-zero interval).
 */
record BatchLimits(long bytes, long records, Duration interval) {

    static final long DEFAULT_BYTES = 5_000_000;
    static final long DEFAULT_RECORDS = 100_000;
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    static BatchLimits of(LogpushJobs.Job job) {
        return new BatchLimits(job.maxUploadBytes() > 0 ? job.maxUploadBytes() : DEFAULT_BYTES,
                job.maxUploadRecords() > 0 ? job.maxUploadRecords() : DEFAULT_RECORDS,
                job.maxUploadIntervalSeconds() > 0 ? Duration.ofSeconds(job.maxUploadIntervalSeconds()) : DEFAULT_INTERVAL);
    }

    boolean full(long openRecords, long openBytes) {
        return openRecords >= records || openBytes >= bytes;
    }
}
