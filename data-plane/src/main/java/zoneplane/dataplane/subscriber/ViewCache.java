package zoneplane.dataplane.subscriber;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.view.ZoneView;

/**
 * The node's last good view on local disk, so it can boot and serve without the control plane.
 *
 * <p>File {@value #FILE_NAME}, in {@link BinaryViewCodec}'s format (versioned header, revision,
 * zones with their settings, CRC-32C). Saving writes a temporary file in the same directory, fsyncs
 * it, renames it over the old one atomically and fsyncs the directory: a crash leaves either the old
 * or the new file, never a torn one. Loading refuses a file that is truncated, damaged or of a
 * format version this node does not read: one warning, the file is moved aside
 * ({@code .corrupt} / {@code .unsupported}) and the node waits for the control plane. It never throws
 * for bad content and never publishes part of a file.
 *
 * <p>Generations: each save first renames the current file to {@value #PREVIOUS_FILE_NAME}, so the
 * previous good generation stays on disk. When the newest file is damaged (or missing after a crash
 * between the two renames), {@link #load} falls back to it and says so ({@link Loaded#generation}).
 *
 * <p>Upgrade: a node of an earlier version kept the view as JSON ({@value JsonViewCacheFile#FILE_NAME},
 * {@link JsonViewCacheFile}). When only that file exists, {@link #load} reads it once, writes the
 * binary file and removes the JSON one.
 *
 * <p>Not thread-safe: the subscriber calls {@link #load} once at start, then {@link #save} from one
 * thread at a time.
 */
public final class ViewCache {

    private static final Logger log = LoggerFactory.getLogger(ViewCache.class);

    public static final String FILE_NAME = "zone-view.bin";
    /** The generation before the newest one, kept as the fallback. */
    public static final String PREVIOUS_FILE_NAME = "zone-view.previous.bin";

    /** Which file a loaded view came from. */
    public enum Generation {
        NEWEST,
        PREVIOUS,
        LEGACY_JSON
    }

    /** A loaded view, the file it came from and when that file was written. */
    public record Loaded(ZoneView view, Generation generation, Instant writtenAt) {}
    /** A cache larger than this is refused rather than read into memory (it is ~40 bytes a zone). */
    private static final long MAX_BYTES = 1L << 30;

    private final Path dir;
    private final Path file;
    private final Path previous;
    private final Path legacyJson;
    private final ZoneCanonicalizer canonicalizer;

    public ViewCache(Path dir) {
        this(dir, new ZoneCanonicalizer());
    }

    ViewCache(Path dir, ZoneCanonicalizer canonicalizer) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
        this.previous = dir.resolve(PREVIOUS_FILE_NAME);
        this.legacyJson = dir.resolve(JsonViewCacheFile.FILE_NAME);
        this.canonicalizer = canonicalizer;
    }

    public Path file() {
        return file;
    }

    /**
     * The cached view, or empty when there is none or it is refused (then it is moved aside and one
     * warning says why). A JSON cache of an earlier version is read and converted.
     */
    public Optional<ZoneView> load() {
        return loadGeneration().map(Loaded::view);
    }

    /**
     * Like {@link #load}, saying which generation it read: the newest, else (damaged or missing) the
     * previous one, else a JSON cache of an earlier version.
     */
    public Optional<Loaded> loadGeneration() {
        boolean newestThere = Files.isRegularFile(file);
        if (newestThere) {
            Optional<Loaded> newest = refusing(file, this::readBinary).map(v -> new Loaded(v, Generation.NEWEST, writtenAt(file)));
            if (newest.isPresent()) {
                return newest;
            }
        }
        if (Files.isRegularFile(previous)) {
            Optional<Loaded> older = refusing(previous, this::readBinary)
                    .map(v -> new Loaded(v, Generation.PREVIOUS, writtenAt(previous)));
            older.ifPresent(l -> log.warn("serving the previous disk-cache generation {} (revision {}): the newest {}",
                    previous, l.view().revision(), newestThere ? "was refused" : "is missing"));
            if (older.isPresent()) {
                return older;
            }
        }
        if (Files.isRegularFile(legacyJson)) {
            Instant written = writtenAt(legacyJson);
            return refusing(legacyJson, path -> JsonViewCacheFile.read(path, canonicalizer)).map(this::upgrade)
                    .map(v -> new Loaded(v, Generation.LEGACY_JSON, written));
        }
        return Optional.empty();
    }

    private static Instant writtenAt(Path path) {
        try {
            return Files.getLastModifiedTime(path).toInstant();
        } catch (IOException e) {
            return Instant.now();
        }
    }

    /**
     * Writes {@code view} atomically (temp file, fsync, rename, directory fsync), then removes a JSON
     * cache of an earlier version if one is left.
     */
    public void save(ZoneView view) throws IOException {
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, FILE_NAME, ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                BinaryViewCodec.write(view, out);
                out.flush();
                channel.force(true);
            }
            if (Files.isRegularFile(file)) {
                // The current generation becomes the fallback; a crash right here leaves only it, which load() reads.
                Files.move(file, previous, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
            // An upgraded node's JSON cache is older than this file from now on.
            Files.deleteIfExists(legacyJson);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private ZoneView readBinary(Path path) throws IOException {
        long size = Files.size(path);
        if (size > MAX_BYTES) {
            throw CorruptCacheException.corrupt("file of " + size + " bytes is larger than any view (" + MAX_BYTES + ")");
        }
        return BinaryViewCodec.read(Files.readAllBytes(path), canonicalizer);
    }

    private Optional<ZoneView> refusing(Path path, Reader reader) {
        try {
            return Optional.of(reader.read(path));
        } catch (CorruptCacheException e) {
            Path aside = path.resolveSibling(path.getFileName() + (e.unsupportedVersion() ? ".unsupported" : ".corrupt"));
            log.warn("Refusing the disk cache {}: {}. Moved it to {}; the node waits for the control plane.",
                    path, e.getMessage(), aside);
            moveAside(path, aside);
            return Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            log.warn("Cannot read the disk cache {}: {}; the node waits for the control plane.", path, e.getMessage());
            return Optional.empty();
        }
    }

    /** Rewrites a JSON cache as binary; the JSON file goes only once the binary one is safely written. */
    private ZoneView upgrade(ZoneView view) {
        try {
            save(view);
            log.info("converted the disk cache {} to the binary format {}", legacyJson, file);
        } catch (IOException e) {
            log.warn("could not convert the disk cache {} to {} (keeping it): {}", legacyJson, file, e.getMessage());
        }
        return view;
    }

    private static void moveAside(Path path, Path aside) {
        try {
            Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("could not move the refused cache aside: {}", e.getMessage());
        }
    }

    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UncheckedIOException e) {
            // Some file systems cannot fsync a directory; the rename itself is still atomic.
            log.debug("directory fsync not supported for {}: {}", dir, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "ViewCache{" + file + "}";
    }

    private interface Reader {
        ZoneView read(Path path) throws IOException;
    }
}
