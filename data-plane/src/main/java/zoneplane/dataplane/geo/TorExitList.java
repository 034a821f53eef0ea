package zoneplane.dataplane.geo;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The Tor exit nodes listed in a file (format: {@link TorExitListFile}), reloaded when the file changes.
 *
 * <p>The list is an immutable set swapped atomically, so {@link #isExit} is a lock-free hash lookup. One
 * daemon thread checks the file's modification time and size every {@code pollInterval}; polling is
 * used rather than a {@code WatchService} because Kubernetes updates a mounted ConfigMap by swapping a
 * symlink, which directory watches miss. A reload that fails (unreadable, malformed or deleted file)
 * keeps the list in force and is reported as {@link ExitListReload.Failed}; each change of the file is
 * reported once. {@link #close()} stops the thread.
 */
public final class TorExitList implements TorExitNodes, Closeable {

    private final Path file;
    private final Consumer<ExitListReload> listener;
    private final AtomicReference<Set<InetAddress>> exits = new AtomicReference<>(Set.of());
    private final AtomicReference<ExitListReload> lastReload = new AtomicReference<>();
    private final ScheduledExecutorService poller;
    /** Touched by the poller thread only (and by the constructor, before the poller starts). */
    private FileState loadedState;

    private TorExitList(Path file, Consumer<ExitListReload> listener) {
        this.file = file;
        this.listener = listener;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tor-exit-list-reload");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Loads {@code file} now (so the first request already sees the list; a missing or bad file gives an
     * empty list and a {@code Failed} report) and then checks it for changes every {@code pollInterval}.
     *
     * @param listener told of every load outcome, on the caller's thread first and then on the poller
     *                 thread; it must not block or throw
     */
    public static TorExitList watch(Path file, Duration pollInterval, Consumer<ExitListReload> listener) {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
        }
        TorExitList list = new TorExitList(Objects.requireNonNull(file), Objects.requireNonNull(listener));
        list.reloadIfChanged();
        long millis = pollInterval.toMillis();
        list.poller.scheduleWithFixedDelay(list::reloadIfChanged, millis, millis, TimeUnit.MILLISECONDS);
        return list;
    }

    @Override
    public boolean isExit(InetAddress address) {
        return exits.get().contains(address);
    }

    /** Addresses in the list in force. */
    public int size() {
        return exits.get().size();
    }

    /** The outcome of the latest load that ran (the list in force may be older after a failure). */
    public ExitListReload lastReload() {
        return lastReload.get();
    }

    /** Stops the reloading; waits up to a second for a reload in progress to finish. */
    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TorExitList[" + file + ", " + size() + " addresses]";
    }

    private void reloadIfChanged() {
        FileState state = FileState.of(file);
        if (state.equals(loadedState)) {
            return;
        }
        loadedState = state;
        report(reload(state));
    }

    private ExitListReload reload(FileState state) {
        if (!state.exists()) {
            return new ExitListReload.Failed(file, "file does not exist; keeping the " + size() + " addresses in force");
        }
        try {
            Set<InetAddress> loaded = TorExitListFile.parse(file);
            exits.set(loaded);
            return new ExitListReload.Applied(file, loaded.size());
        } catch (GeoFileException | UncheckedIOException e) {
            return new ExitListReload.Failed(file, e.getMessage() + "; keeping the " + size() + " addresses in force");
        }
    }

    private void report(ExitListReload outcome) {
        lastReload.set(outcome);
        listener.accept(outcome);
    }

    /** What identifies a version of the file cheaply; {@code exists == false} when it is absent. */
    private record FileState(boolean exists, long modifiedNanos, long size, Object fileKey) {

        static FileState of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileState(true, attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                        attributes.size(), attributes.fileKey());
            } catch (NoSuchFileException e) {
                return new FileState(false, 0, 0, null);
            } catch (IOException e) {
                // Unreadable attributes: a distinct state so the reload runs and reports the read error.
                return new FileState(true, -1, -1, e.getMessage());
            }
        }
    }
}
