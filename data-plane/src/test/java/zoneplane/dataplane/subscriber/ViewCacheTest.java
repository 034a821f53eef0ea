package zoneplane.dataplane.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;
import zoneplane.model.wire.SnapshotWriter;

class ViewCacheTest {

    @TempDir
    Path dir;

    /** Zones over every plan, with and without origin, some paused, settings varying per zone. */
    static ZoneView sampleView(long revision, int zones) {
        List<ZoneConfig> list = new ArrayList<>();
        for (int i = 0; i < zones; i++) {
            Plan plan = Plan.values()[i % 4];
            ZoneSettings settings = ZoneSettings.defaultsFor(plan)
                    .with(Setting.WEBSOCKETS, Setting.WEBSOCKETS.value(i % 2 == 0 ? "off" : "on").orElseThrow())
                    .with(Setting.PSEUDO_IPV4, Setting.PSEUDO_IPV4.value(i % 7 == 0 ? "overwrite_header" : "off").orElseThrow());
            list.add(new ZoneConfig(String.format("%032x", i + 1), "zone" + i + ".example.com", plan,
                    i % 3 == 0 ? "" : "http://10.0.0.1:" + (8000 + i % 500), i % 5 == 0, settings));
        }
        return ZoneView.of(revision, list);
    }

    /** A cache file as nodes before the binary format wrote it: snapshot JSON, then a SHA-256 trailer. */
    static void writeJsonCache(Path dir, ZoneView view) throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (SnapshotWriter writer = new SnapshotWriter(json, view.revision())) {
            view.forEach(writer::write);
        }
        writeJsonCache(dir, json.toByteArray());
    }

    private static void writeJsonCache(Path dir, byte[] json) throws IOException {
        String digest = HexFormat.of().formatHex(JsonViewCacheFile.sha256().digest(json));
        Files.createDirectories(dir);
        Path file = dir.resolve(JsonViewCacheFile.FILE_NAME);
        Files.write(file, json);
        Files.writeString(file, JsonViewCacheFile.TRAILER_PREFIX + digest + "\n", java.nio.file.StandardOpenOption.APPEND);
    }

    private static void assertSameZones(ZoneView actual, ZoneView expected) {
        assertThat(actual.revision()).isEqualTo(expected.revision());
        assertThat(actual.size()).isEqualTo(expected.size());
        expected.forEach(zone -> assertThat(actual.zone(zone.name())).contains(zone));
    }

    private List<String> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Rewrites the CRC-32C trailer so that only the decoder's own checks can refuse {@code bytes}. */
    private static byte[] withValidChecksum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int value = (int) crc.getValue();
        byte[] fixed = bytes.clone();
        for (int i = 0; i < 4; i++) {
            fixed[bytes.length - 4 + i] = (byte) (value >>> (24 - 8 * i));
        }
        return fixed;
    }

    private static int indexOf(byte[] bytes, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError(ascii + " not in the file");
    }

    @Test
    void savedViewLoadsBackWithSameRevisionAndZonesFromOneBinaryFile() throws IOException {
        ViewCache cache = new ViewCache(dir);
        ZoneView view = sampleView(42, 50);
        cache.save(view);

        ZoneView loaded = cache.load().orElseThrow();

        assertSameZones(loaded, view);
        assertThat(filesInDir()).containsExactly(ViewCache.FILE_NAME);
        byte[] head = Arrays.copyOf(Files.readAllBytes(cache.file()), 6);
        assertThat(head).containsExactly('Z', 'P', 'V', 'C', 0, BinaryViewCodec.VERSION);
    }

    @Test
    void aLargeViewRoundTripsWithEveryFieldAndSharesEqualSettings() throws IOException {
        ViewCache cache = new ViewCache(dir);
        ZoneView view = sampleView(1_000_000_007L, 100_000);
        cache.save(view);

        ZoneView loaded = cache.load().orElseThrow();

        assertSameZones(loaded, view);
        Map<ZoneSettings, Boolean> distinct = new IdentityHashMap<>();
        loaded.forEach(zone -> distinct.put(zone.settings(), true));
        // 4 plans × websockets on/off × pseudo_ipv4 2 values: at most 16 combinations, one instance each.
        assertThat(distinct).hasSizeLessThanOrEqualTo(16);
        // About 40 bytes a zone; the JSON cache took ~300.
        assertThat(Files.size(cache.file())).isLessThan(100_000L * 60);
    }

    @Test
    void anEmptyViewRoundTrips() throws IOException {
        ViewCache cache = new ViewCache(dir);
        cache.save(ZoneView.of(3, List.of()));

        ZoneView loaded = cache.load().orElseThrow();

        assertThat(loaded.revision()).isEqualTo(3);
        assertThat(loaded.size()).isZero();
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
        bytes[indexOf(bytes, "zone5.example.com") + 4] = '8'; // a valid view still: only the checksum can tell
        Files.write(cache.file(), bytes);

        Optional<ZoneView> loaded = cache.load();

        assertThat(loaded).isEmpty();
        assertThat(filesInDir()).containsExactly(ViewCache.FILE_NAME + ".corrupt");
    }

    @ParameterizedTest(name = "cut to {0}% of its bytes")
    @ValueSource(ints = {0, 1, 10, 25, 50, 90, 99})
    void aTruncatedFileIsRefusedWhole(int percent) throws IOException {
        ViewCache cache = new ViewCache(dir);
        cache.save(sampleView(7, 200));
        byte[] bytes = Files.readAllBytes(cache.file());
        Files.write(cache.file(), Arrays.copyOf(bytes, bytes.length * percent / 100));

        assertThat(cache.load()).isEmpty();
        assertThat(filesInDir()).containsExactly(ViewCache.FILE_NAME + ".corrupt");
    }

    @Test
    void aFileCutByItsLastByteIsRefused() throws IOException {
        ViewCache cache = new ViewCache(dir);
        cache.save(sampleView(7, 20));
        byte[] bytes = Files.readAllBytes(cache.file());
        Files.write(cache.file(), Arrays.copyOf(bytes, bytes.length - 1));

        assertThat(cache.load()).isEmpty();
    }

    @Test
    void aFormatVersionThisNodeDoesNotKnowIsRefusedAndKeptAsideAsUnsupported() throws IOException {
        ViewCache cache = new ViewCache(dir);
        cache.save(sampleView(7, 20));
        byte[] bytes = Files.readAllBytes(cache.file());
        bytes[5] = (byte) (BinaryViewCodec.VERSION + 1); // as a newer node would write it
        Files.write(cache.file(), withValidChecksum(bytes));

        assertThat(cache.load()).isEmpty();
        assertThat(filesInDir()).containsExactly(ViewCache.FILE_NAME + ".unsupported");
    }

    @Test
    void garbageIsRefused() throws IOException {
        ViewCache cache = new ViewCache(dir);
        Files.writeString(cache.file(), "not a view at all");

        assertThat(cache.load()).isEmpty();
        assertThat(filesInDir()).containsExactly(ViewCache.FILE_NAME + ".corrupt");
    }

    @Test
    void aValidChecksumOverAnInvalidSettingValueIsRefused() throws IOException {
        ViewCache cache = new ViewCache(dir);
        cache.save(sampleView(7, 4));
        byte[] bytes = Files.readAllBytes(cache.file());
        bytes[indexOf(bytes, "overwrite_header")] = 'X';
        Files.write(cache.file(), withValidChecksum(bytes));

        assertThat(cache.load()).isEmpty();
    }

    @Test
    void aValidChecksumOverAnUpperCaseZoneNameIsRefused() throws IOException {
        ViewCache cache = new ViewCache(dir);
        cache.save(sampleView(7, 4));
        byte[] bytes = Files.readAllBytes(cache.file());
        bytes[indexOf(bytes, "zone2.example.com")] = 'Z';
        Files.write(cache.file(), withValidChecksum(bytes));

        assertThat(cache.load()).isEmpty();
    }

    @Test
    void aValidChecksumOverTrailingBytesIsRefused() throws IOException {
        ViewCache cache = new ViewCache(dir);
        cache.save(sampleView(7, 4));
        byte[] bytes = Files.readAllBytes(cache.file());
        byte[] longer = new byte[bytes.length + 3];
        System.arraycopy(bytes, 0, longer, 0, bytes.length - 4);
        Files.write(cache.file(), withValidChecksum(longer));

        assertThat(cache.load()).isEmpty();
    }

    @Test
    void aJsonCacheOfAnEarlierVersionLoadsOnceAndIsRewrittenAsBinary() throws IOException {
        ZoneView view = sampleView(11, 300);
        writeJsonCache(dir, view);
        ViewCache cache = new ViewCache(dir);

        ZoneView loaded = cache.load().orElseThrow();

        assertSameZones(loaded, view);
        assertThat(filesInDir()).containsExactly(ViewCache.FILE_NAME);
        assertSameZones(new ViewCache(dir).load().orElseThrow(), view);
    }

    @Test
    void aLeftoverJsonCacheGivesWayToTheBinaryOne() throws IOException {
        writeJsonCache(dir, sampleView(5, 10));
        ViewCache cache = new ViewCache(dir);
        cache.save(sampleView(6, 20));

        ZoneView loaded = cache.load().orElseThrow();

        assertThat(loaded.revision()).isEqualTo(6);
        assertThat(filesInDir()).containsExactly(ViewCache.FILE_NAME);
    }

    @Test
    void aDamagedJsonCacheIsRefusedAndMovedAside() throws IOException {
        writeJsonCache(dir, sampleView(7, 20));
        Path json = dir.resolve(JsonViewCacheFile.FILE_NAME);
        byte[] bytes = Files.readAllBytes(json);
        bytes[indexOf(bytes, "zone5.example.com") + 4] = '8';
        Files.write(json, bytes);

        assertThat(new ViewCache(dir).load()).isEmpty();
        assertThat(filesInDir()).containsExactly(JsonViewCacheFile.FILE_NAME + ".corrupt");
    }

    @Test
    void aJsonCacheWithValidChecksumOverInvalidJsonIsRefused() throws IOException {
        writeJsonCache(dir, "{\"revision\":3,\"zones\":[{\"id\":\"nope\"}]}".getBytes(StandardCharsets.UTF_8));

        assertThat(new ViewCache(dir).load()).isEmpty();
        assertThat(filesInDir()).containsExactly(JsonViewCacheFile.FILE_NAME + ".corrupt");
    }
}
