package zoneplane.dataplane.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;

class ViewCacheTest {

    @TempDir
    Path dir;

    static ZoneView sampleView(long revision, int zones) {
        List<ZoneConfig> list = new ArrayList<>();
        for (int i = 0; i < zones; i++) {
            Plan plan = Plan.values()[i % 4];
            ZoneSettings settings = ZoneSettings.defaultsFor(plan)
                    .with(Setting.WEBSOCKETS, Setting.WEBSOCKETS.value(i % 2 == 0 ? "off" : "on").orElseThrow());
            list.add(new ZoneConfig(String.format("%032x", i + 1), "zone" + i + ".example.com", plan,
                    i % 3 == 0 ? "" : "http://10.0.0.1:" + (8000 + i), i % 5 == 0, settings));
        }
        return ZoneView.of(revision, list);
    }

    @Test
    void savedViewLoadsBackWithSameRevisionAndZones() throws IOException {
        ViewCache cache = new ViewCache(dir);
        ZoneView view = sampleView(42, 50);
        cache.save(view);

        ZoneView loaded = cache.load().orElseThrow();

        assertThat(loaded.revision()).isEqualTo(42);
        assertThat(loaded.size()).isEqualTo(50);
        view.forEach(zone -> assertThat(loaded.zone(zone.name())).contains(zone));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(ViewCache.FILE_NAME);
        }
    }

    @Test
    void saveReplacesThePreviousFileWhole() throws IOException {
        ViewCache cache = new ViewCache(dir);
        cache.save(sampleView(1, 200));
        cache.save(sampleView(2, 3));

        ZoneView loaded = cache.load().orElseThrow();

        assertThat(loaded.revision()).isEqualTo(2);
        assertThat(loaded.size()).isEqualTo(3);
    }

    @Test
    void missingCacheLoadsNothing() {
        assertThat(new ViewCache(dir).load()).isEmpty();
    }

    @Test
    void aFlippedByteIsRefusedAndMovedAside() throws IOException {
        ViewCache cache = new ViewCache(dir);
        cache.save(sampleView(7, 20));
        byte[] bytes = Files.readAllBytes(cache.file());
        int at = new String(bytes, StandardCharsets.UTF_8).indexOf("zone5.example.com");
        bytes[at + 4] = '8'; // zone5 -> zone8: still valid JSON and a valid view, only the checksum can tell
        Files.write(cache.file(), bytes);

        Optional<ZoneView> loaded = cache.load();

        assertThat(loaded).isEmpty();
        assertThat(cache.file()).doesNotExist();
        assertThat(dir.resolve(ViewCache.FILE_NAME + ".corrupt")).exists();
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        ViewCache cache = new ViewCache(dir);
        cache.save(sampleView(7, 20));
        byte[] bytes = Files.readAllBytes(cache.file());
        Files.write(cache.file(), java.util.Arrays.copyOf(bytes, bytes.length / 2));

        assertThat(cache.load()).isEmpty();
    }

    @Test
    void garbageAndJsonWithoutChecksumAreRefused() throws IOException {
        ViewCache cache = new ViewCache(dir);
        Files.writeString(cache.file(), "not a view at all, but long enough to hold a trailer of seventy-three bytes....");
        assertThat(cache.load()).isEmpty();

        Files.writeString(cache.file(), "{\"revision\":3,\"zones\":[]}");
        assertThat(cache.load()).isEmpty();
    }

    @Test
    void aValidChecksumOverInvalidJsonIsRefused() throws IOException {
        ViewCache cache = new ViewCache(dir);
        byte[] json = "{\"revision\":3,\"zones\":[{\"id\":\"nope\"}]}".getBytes(StandardCharsets.UTF_8);
        String digest;
        try {
            digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(json));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Files.write(cache.file(), json);
        Files.writeString(cache.file(), "\nsha256:" + digest + "\n", java.nio.file.StandardOpenOption.APPEND);

        assertThat(cache.load()).isEmpty();
    }
}
