package zoneplane.dataplane.logpush;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One job's sealed batches not yet acknowledged by its destination, on disk: one file per batch
 * ({@code <sealed epoch millis>-<sequence>-<records>.batch}: each line as a 4-byte length and its bytes),
 * written atomically (temporary file, then rename) so a crash leaves whole batches only. Bounded: batches
 * sealed longer ago than {@code maxAge}, then the oldest while the spool is larger than {@code maxBytes},
 * are deleted and their records counted as dropped. Used by the logpush thread only.
 */
final class JobSpool {

    private static final String SUFFIX = ".batch";

    private final Path dir;
    private final long maxBytes;
    private final Duration maxAge;
    private final Clock clock;
    private final List<Spooled> pending = new ArrayList<>();
    private long sequence;
    private long bytes;

    /** One spooled batch. */
    record Spooled(Path file, long sealedMillis, int records, long bytes) {}

    /** Opens (creating) the spool in {@code dir}, with what an earlier run left there. */
    JobSpool(Path dir, long maxBytes, Duration maxAge, Clock clock) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).map(JobSpool::parse)
                        .filter(s -> s != null).sorted(Comparator.comparing(s -> s.file().getFileName().toString()))
                        .forEach(pending::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the logpush spool " + dir, e);
        }
        sequence = pending.size();
        bytes = pending.stream().mapToLong(Spooled::bytes).sum();
    }

    private static Spooled parse(Path file) {
        String[] parts = file.getFileName().toString().replace(SUFFIX, "").split("-");
        try {
            return new Spooled(file, Long.parseLong(parts[0]), Integer.parseInt(parts[2]), Files.size(file));
        } catch (IOException | RuntimeException notOurs) {
            return null;
        }
    }

    /** Spools {@code lines} as one batch, then trims to the bounds; returns the records the bounds dropped. */
    long write(List<byte[]> lines) throws IOException {
        String name = String.format("%013d-%09d-%d%s", clock.millis(), ++sequence, lines.size(), SUFFIX);
        Path temporary = dir.resolve(name + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16))) {
            for (byte[] line : lines) {
                out.writeInt(line.length);
                out.write(line);
            }
        }
        Path file = dir.resolve(name);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        Spooled spooled = new Spooled(file, clock.millis(), lines.size(), Files.size(file));
        pending.add(spooled);
        bytes += spooled.bytes();
        return trim();
    }

    /** The oldest spooled batch, or null. */
    Spooled oldest() {
        return pending.isEmpty() ? null : pending.get(0);
    }

    /** The lines of a spooled batch. */
    List<byte[]> read(Spooled batch) throws IOException {
        List<byte[]> lines = new ArrayList<>(batch.records());
        try (DataInputStream in = new DataInputStream(Files.newInputStream(batch.file()))) {
            for (int i = 0; i < batch.records(); i++) {
                byte[] line = new byte[in.readInt()];
                in.readFully(line);
                lines.add(line);
            }
        }
        return lines;
    }

    /** Whether {@code batch} is still spooled (the bounds may have dropped it while it was in flight). */
    boolean holds(Spooled batch) {
        return pending.contains(batch);
    }

    /** The batch was delivered (or refused for good): it leaves the spool. */
    void remove(Spooled batch) throws IOException {
        if (pending.remove(batch)) {
            bytes -= batch.bytes();
        }
        try {
            Files.delete(batch.file());
        } catch (NoSuchFileException gone) {
            // dropped by the bounds meanwhile
        }
    }

    /** Drops what is too old, then the oldest while over size; returns the records dropped. */
    long trim() throws IOException {
        long oldestKept = clock.millis() - maxAge.toMillis();
        long dropped = 0;
        while (!pending.isEmpty() && (pending.get(0).sealedMillis() < oldestKept || bytes > maxBytes)) {
            Spooled batch = pending.remove(0);
            bytes -= batch.bytes();
            Files.deleteIfExists(batch.file());
            dropped += batch.records();
        }
        return dropped;
    }

    /** Deletes every batch and the directory (the job is gone); returns the records deleted. */
    long discard() throws IOException {
        long records = pending.stream().mapToLong(Spooled::records).sum();
        for (Spooled batch : pending) {
            Files.deleteIfExists(batch.file());
        }
        pending.clear();
        bytes = 0;
        try (Stream<Path> rest = Files.list(dir)) {
            for (Path file : rest.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(dir);
        return records;
    }

    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    @Override
    public String toString() {
        return "JobSpool{" + dir + ", " + pending.size() + " batch(es), " + bytes + " bytes}";
    }
}
