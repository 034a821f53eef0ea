import java.io.ByteArrayInputStream;
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

/**
 * Writes a data-plane disk cache of N zones with the data plane's own classes: a snapshot document
 * parsed by {@link SnapshotReader} (as the subscriber does), a {@link ZoneView} of it, and
 * {@link ViewCache#save} (checksummed, atomically renamed file), so the node reads exactly the format
 * it writes. Zone {@code z0.bench.example} and every other zone proxy to {@code origin}; the plans
 * and settings vary like a real fleet.
 *
 * <p>Arguments: {@code cacheDir zones originUrl}. Prints the file path and its size.
 */
public final class ColdStartCache {

    private static final String[] PLANS = {"free", "pro", "business", "enterprise"};

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ColdStartCache cacheDir zones originUrl");
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
        ViewCache cache = new ViewCache(dir);
        cache.save(view);
        if (cache.load().map(ZoneView::size).orElse(-1) != zones) {
            throw new IllegalStateException("the written cache does not load back with " + zones + " zones");
        }
        System.out.printf("wrote %s: %d zones, %d bytes%n", cache.file(), zones, Files.size(cache.file()));
    }

    private static String id(int i) {
        return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16).putLong(0x5eedL).putLong(i).array());
    }
}
