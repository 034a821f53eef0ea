package zoneplane.system.contract;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.wire.SnapshotWriter;

/**
 * The contract for a node upgraded from a version that kept its disk cache as JSON
 * ({@code zone-view.json}: the snapshot document, then {@code "\nsha256:<hex>\n"} of its bytes).
 */
class JsonDiskCacheViewSourceTest extends DiskCacheViewSourceContract {

    @Override
    protected void writeCache(Path cacheDir, ZoneView view) throws Exception {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (SnapshotWriter writer = new SnapshotWriter(json, view.revision())) {
            view.forEach(writer::write);
        }
        byte[] document = json.toByteArray();
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document));
        Path file = cacheDir.resolve("zone-view.json");
        Files.write(file, document);
        Files.writeString(file, "\nsha256:" + digest + "\n", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
    }
}
