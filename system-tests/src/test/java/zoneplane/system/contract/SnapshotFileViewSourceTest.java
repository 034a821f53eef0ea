package zoneplane.system.contract;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import zoneplane.model.wire.SnapshotWriter;
import zoneplane.testing.InProcessNode;

/** The contract for a node serving a snapshot document ({@code ZONEPLANE_SNAPSHOT_FILE}). */
class SnapshotFileViewSourceTest extends ViewSourceContract {

    private static final long REVISION = 41;

    @Override
    protected InProcessNode startNode(Path dir) throws Exception {
        Path file = dir.resolve("snapshot.json");
        try (OutputStream out = Files.newOutputStream(file); SnapshotWriter writer = new SnapshotWriter(out, REVISION)) {
            view().forEach(writer::write);
        }
        return InProcessNode.fromSnapshot(file);
    }

    @Override
    protected long revision() {
        return REVISION;
    }
}
