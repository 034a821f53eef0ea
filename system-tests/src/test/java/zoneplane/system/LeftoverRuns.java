package zoneplane.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The data folders of suite runs ({@code target/system-data/<run>/}) and what a dead run left in them.
 *
 * <p>Embedded PostgreSQL runs as a daemon (started by {@code pg_ctl}, not a child of the test JVM), so
 * unlike the planes it cannot watch its parent: a SIGKILLed test JVM leaves it running on its port. Each
 * run therefore {@linkplain #claim claims} its folder with its JVM's pid and start time, and every new
 * run first {@linkplain #reap reaps} the folders whose owner is gone: the PostgreSQL serving such a
 * folder (found by its {@code postmaster.pid}, and only if that process is the one the file names) is
 * stopped, then the folder is deleted. Folders of a run whose JVM is still alive are left alone, so two
 * runs in one checkout do not break each other.
 */
final class LeftoverRuns {

    static final String OWNER_FILE = "owner.pid";
    static final String PGDATA = "pgdata";
    private static final Duration POSTGRES_STOP = Duration.ofSeconds(15);

    private LeftoverRuns() {}

    /** Marks {@code runDir} (created if missing) as owned by this JVM. */
    static void claim(Path runDir) throws IOException {
        Files.createDirectories(runDir);
        ProcessHandle self = ProcessHandle.current();
        Files.writeString(runDir.resolve(OWNER_FILE), self.pid() + " " + startMillis(self).orElse(0L) + "\n",
                StandardCharsets.UTF_8);
    }

    /**
     * Stops the PostgreSQL of every run folder under {@code runsDir} whose owner JVM is gone (a folder
     * without an owner file counts as such) and deletes the folder. Returns the folders reaped.
     */
    static List<Path> reap(Path runsDir) throws IOException {
        if (!Files.isDirectory(runsDir)) {
            return List.of();
        }
        List<Path> reaped = new ArrayList<>();
        try (Stream<Path> runs = Files.list(runsDir)) {
            for (Path run : runs.filter(Files::isDirectory).toList()) {
                if (!ownerAlive(run)) {
                    stopPostgres(run.resolve(PGDATA));
                    delete(run);
                    reaped.add(run);
                }
            }
        }
        return reaped;
    }

    /** The live postmaster serving {@code pgdata}, as its {@code postmaster.pid} names it. */
    static Optional<ProcessHandle> postmaster(Path pgdata) throws IOException {
        Path pidFile = pgdata.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        // Lines: pid, data directory, start time (epoch seconds), port, ... (PostgreSQL's miscadmin.h).
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        if (lines.size() < 3 || !samePath(Path.of(lines.get(1).trim()), pgdata)) {
            return Optional.empty();
        }
        long pid;
        long startedSeconds;
        try {
            pid = Long.parseLong(lines.get(0).trim());
            startedSeconds = Long.parseLong(lines.get(2).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        // The pid may have been reused since that PostgreSQL died: only its own start time proves it is it.
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> startMillis(p).map(ms -> Math.abs(ms / 1000 - startedSeconds) <= 5).orElse(false));
    }

    private static boolean ownerAlive(Path run) throws IOException {
        Path owner = run.resolve(OWNER_FILE);
        if (!Files.isRegularFile(owner)) {
            return false;
        }
        String[] fields = Files.readString(owner, StandardCharsets.UTF_8).trim().split(" ");
        try {
            long pid = Long.parseLong(fields[0]);
            long started = fields.length > 1 ? Long.parseLong(fields[1]) : 0L;
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(p -> started == 0 || startMillis(p).map(ms -> Math.abs(ms - started) < 1000).orElse(true))
                    .orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** SIGTERM (PostgreSQL's smart shutdown), SIGKILL if it is still up after {@link #POSTGRES_STOP}. */
    private static void stopPostgres(Path pgdata) throws IOException {
        Optional<ProcessHandle> found = postmaster(pgdata);
        if (found.isEmpty()) {
            return;
        }
        ProcessHandle postgres = found.get();
        postgres.destroy();
        try {
            postgres.onExit().get(POSTGRES_STOP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            postgres.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            postgres.destroyForcibly();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not wait for PostgreSQL " + postgres.pid() + " to stop", e);
        }
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }

    private static boolean samePath(Path a, Path b) {
        try {
            return Files.exists(a) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
