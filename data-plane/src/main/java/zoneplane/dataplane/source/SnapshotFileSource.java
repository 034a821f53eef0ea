package zoneplane.dataplane.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.ZoneConfig;
import zoneplane.model.wire.SnapshotReader;

/**
 * A static view from a snapshot document ({@code ZONEPLANE_SNAPSHOT_FILE}), for tests, local runs and
 * air-gapped edges. Read once at start; a malformed file fails the start with the reader's message.
 */
public final class SnapshotFileSource implements ViewSource {

    private static final Logger log = LoggerFactory.getLogger(SnapshotFileSource.class);

    private final Path file;

    public SnapshotFileSource(Path file) {
        this.file = file;
    }

    @Override
    public void start(LiveZoneView view, ConfigFreshness freshness) {
        view.publish(read(file));
        freshness.markFresh();
        log.info("serving {} from snapshot file {}", view.current(), file);
    }

    public static ZoneView read(Path file) {
        List<ZoneConfig> zones = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            long revision = SnapshotReader.read(in, zones::add);
            return ZoneView.of(revision, zones);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot file " + file, e);
        }
    }

    @Override
    public String toString() {
        return "SnapshotFileSource{" + file + "}";
    }
}
