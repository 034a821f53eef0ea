package zoneplane.dataplane.usage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import zoneplane.model.wire.UsageReport;

/**
 * Closed minutes not yet acknowledged by the control plane, on disk in the node's cache directory: one
 * gzip file per closed batch ({@code <epoch minute>-<sequence>-<zone-minutes>.json.gz}, a
 * {@link UsageReport}), written atomically (temporary file, then rename) so a crash leaves whole files
 * only. Bounded: files whose minute is older than {@code maxAge}, then the oldest files while the spool
 * is larger than {@code maxBytes}, are deleted and their zone-minutes counted as dropped.
 *
 * <p>The usage thread only calls the mutating methods; {@link #bytes()} and the counters may be read from
 * any thread (metrics).
 */
public final class UsageSpool {

    private static final String SUFFIX = ".json.gz";

    private final Path dir;
    private final long maxBytes;
    private final Duration maxAge;
    private final Clock clock;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long oldestMinute = Long.MAX_VALUE;
    private long sequence;

    /** One spooled batch. */
    public record Batch(Path file, long minute, int zoneMinutes, long bytes) {}

    public UsageSpool(Path dir, long maxBytes, Duration maxAge, Clock clock) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the usage spool " + dir, e);
        }
        List<Batch> existing = pending();
        sequence = existing.size();
        refresh(existing);
    }

    /** Spools {@code minutes} of {@code nodeId} as one batch (no instance id); then trims to the bounds. */
    public void write(String nodeId, List<UsageReport.ZoneMinute> minutes) throws IOException {
        write(new UsageReport(nodeId, minutes));
    }

    /**
     * Spools the report's minutes as one batch, with the instance id of the process that measured them (a
     * batch left by an earlier run is shipped under its instance, so a retry of it is still recognised).
     */
    public void write(UsageReport report) throws IOException {
        List<UsageReport.ZoneMinute> minutes = report.minutes();
        if (minutes.isEmpty()) {
            return;
        }
        long minute = minutes.get(0).minute().getEpochSecond() / 60;
        String name = String.format("%012d-%012d-%d%s", minute, ++sequence, minutes.size(), SUFFIX);
        Path temporary = dir.resolve(name + ".tmp");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(temporary))) {
            out.write(report.toJson().getBytes(StandardCharsets.UTF_8));
        }
        Files.move(temporary, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        trim();
    }

    /** The spooled batches, oldest first. */
    public List<Batch> pending() {
        List<Batch> batches = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().forEach(file -> {
                Batch batch = parse(file);
                if (batch != null) {
                    batches.add(batch);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return batches;
    }

    private static Batch parse(Path file) {
        String[] parts = file.getFileName().toString().replace(SUFFIX, "").split("-");
        try {
            return new Batch(file, Long.parseLong(parts[0]), Integer.parseInt(parts[2]), Files.size(file));
        } catch (IOException | RuntimeException e) {
            return null; // removed meanwhile, or not ours
        }
    }

    /** The minutes of a batch as spooled. */
    public List<UsageReport.ZoneMinute> read(Batch batch) throws IOException {
        return readReport(batch).minutes();
    }

    /** A batch as spooled, with the instance id it was measured under. */
    public UsageReport readReport(Batch batch) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(batch.file()))) {
            return UsageReport.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The control plane stored {@code batches}. */
    public void remove(List<Batch> batches) throws IOException {
        try {
            for (Batch batch : batches) {
                try {
                    Files.delete(batch.file());
                } catch (NoSuchFileException trimmedMeanwhile) {
                    // dropped by trim() while in flight: delivered after all, nothing left to delete
                }
            }
        } finally {
            refresh(pending());
        }
    }

    /** Drops what is too old, then the oldest while over size, counting their zone-minutes. */
    public void trim() throws IOException {
        List<Batch> batches = pending();
        long oldestKept = clock.millis() / 60_000 - maxAge.toMinutes();
        long total = batches.stream().mapToLong(Batch::bytes).sum();
        List<Batch> kept = new ArrayList<>();
        for (Batch batch : batches) {
            if (batch.minute() < oldestKept || total > maxBytes) {
                Files.deleteIfExists(batch.file());
                total -= batch.bytes();
                dropped.addAndGet(batch.zoneMinutes());
            } else {
                kept.add(batch);
            }
        }
        refresh(kept);
    }

    private void refresh(List<Batch> batches) {
        bytes.set(batches.stream().mapToLong(Batch::bytes).sum());
        oldestMinute = batches.isEmpty() ? Long.MAX_VALUE : batches.get(0).minute();
    }

    /** Bytes spooled now. */
    public long bytes() {
        return bytes.get();
    }

    /** Zone-minutes dropped by the bounds since start. */
    public long dropped() {
        return dropped.get();
    }

    /** The oldest spooled minute's age in seconds (0 when nothing waits), by the clock. */
    public double oldestAgeSeconds() {
        long oldest = oldestMinute;
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, clock.millis() / 1000.0 - oldest * 60);
    }

    @Override
    public String toString() {
        return "UsageSpool{" + dir + ", maxBytes=" + maxBytes + ", maxAge=" + maxAge + "}";
    }
}
