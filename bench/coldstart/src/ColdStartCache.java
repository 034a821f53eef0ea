import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import zoneplane.dataplane.subscriber.ViewCache;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.ZoneConfig;
import zoneplane.model.wire.SnapshotReader;
import zoneplane.model.wire.SnapshotWriter;

/**
 * Writes a data-plane disk cache of N zones with the data plane's own classes: a snapshot document
 * parsed by {@link SnapshotReader} (as the subscriber does), a {@link ZoneView} of it, and
 * {@link ViewCache#save} (checksummed, atomically renamed file), so the node reads exactly the format
 * it writes. Zone {@code z0.bench.example} and every other zone proxy to {@code origin}; the plans
 * and settings vary like a real fleet.
 *
 * <p>Arguments: {@code cacheDir zones originUrl [json]}. With {@code json} it writes the JSON cache of
 * nodes before the binary format instead ({@code zone-view.json}: the snapshot document and a SHA-256
 * trailer), to time the first start of an upgraded node, which reads it and rewrites it as binary.
 * Prints the file path and its size.
 */
public final class ColdStartCache {

    private static final String[] PLANS = {"free", "pro", "business", "enterprise"};

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4 || (args.length == 4 && !args[3].equals("json"))) {
            System.err.println("usage: ColdStartCache cacheDir zones originUrl [json]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int zones = Integer.parseInt(args[1]);
        String origin = args[2];
        if (zones < 1 || zones > 2_000_000) {
            System.err.println("zones must be 1..2000000");
            System.exit(2);
        }
        StringBuilder json = new StringBuilder(zones * 260).append("{\"revision\":1000,\"zones\":[");
        for (int i = 0; i < zones; i++) {
            if (i > 0) {
                json.append(',');
            }
            String plan = PLANS[i % PLANS.length];
            json.append("{\"id\":\"").append(id(i)).append("\",\"name\":\"z").append(i).append(".bench.example\",")
                    .append("\"plan\":\"").append(plan).append("\",\"origin\":\"").append(origin).append("\",")
                    .append("\"paused\":false,\"settings\":{\"websockets\":\"").append(i % 3 == 0 ? "off" : "on")
                    .append("\",\"ip_geolocation\":\"on\",\"true_client_ip_header\":\"")
                    .append(plan.equals("enterprise") ? "on" : "off").append("\"}}");
        }
        json.append("]}");
        List<ZoneConfig> configs = new ArrayList<>(zones);
        long revision = SnapshotReader.read(new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)),
                configs::add);
        ZoneView view = ZoneView.of(revision, configs);
        if (args.length == 4) {
            writeJson(dir, view);
            return;
        }
        ViewCache cache = new ViewCache(dir);
        cache.save(view);
        if (cache.load().map(ZoneView::size).orElse(-1) != zones) {
            throw new IllegalStateException("the written cache does not load back with " + zones + " zones");
        }
        System.out.printf("wrote %s: %d zones, %d bytes%n", cache.file(), zones, Files.size(cache.file()));
    }

    /** The pre-binary cache file, as ViewCache wrote it before (and reads it now, once). */
    private static void writeJson(Path dir, ZoneView view) throws Exception {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (SnapshotWriter writer = new SnapshotWriter(json, view.revision())) {
            view.forEach(writer::write);
        }
        byte[] document = json.toByteArray();
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document));
        Files.createDirectories(dir);
        Path file = dir.resolve("zone-view.json");
        Files.write(file, document);
        Files.writeString(file, "\nsha256:" + digest + "\n", java.nio.file.StandardOpenOption.APPEND);
        System.out.printf("wrote %s: %d zones, %d bytes (JSON cache of an earlier version)%n", file, view.size(),
                Files.size(file));
    }

    private static String id(int i) {
        return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16).putLong(0x5eedL).putLong(i).array());
    }
}
