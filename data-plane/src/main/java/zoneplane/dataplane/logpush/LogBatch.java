package zoneplane.dataplane.logpush;

import java.util.List;
import java.util.Objects;

/**
 * One batch of one Logpush job's records, ready for its destination: each element of {@link #lines} is
 * one record already formatted as the job's {@code output_options} ask ({@code record_prefix}, the
 * fields, {@code record_suffix}), in the order the exchanges ended. Joining them into one upload
 * ({@code batch_prefix}, {@code record_delimiter}, {@code batch_suffix}) is the destination's business:
 * an HTTP destination sends one body per batch, a Kafka destination one Kafka record per line.
 *
 * @param jobId the job the records belong to
 * @param zoneId the job's zone (Kafka's record key)
 * @param lines the formatted records, UTF-8
 */
public record LogBatch(long jobId, String zoneId, List<byte[]> lines) {

    public LogBatch {
        Objects.requireNonNull(zoneId, "zoneId");
        lines = List.copyOf(lines);
    }

    /** How many records the batch holds. */
    public int records() {
        return lines.size();
    }

    /** The records' size in bytes, formatted, without batch framing. */
    public long bytes() {
        long total = 0;
        for (byte[] line : lines) {
            total += line.length;
        }
        return total;
    }
}
