package zoneplane.dataplane.subscriber;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.SettingValue;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;

/**
 * The disk cache's binary format, version {@value #VERSION}. Decoding it on a cold JVM takes a small
 * fraction of what the JSON snapshot document took (no parser, no per-zone settings map, about a
 * seventh of the bytes), which is most of a node's cold start (SPEC §8).
 *
 * <p>Layout, big-endian; {@code varint} is an unsigned LEB128 int, {@code string} a varint byte
 * length and that many UTF-8 bytes:
 * <pre>
 * magic    4 bytes "ZPVC"
 * version  u16    (readers refuse a version they do not know: the file is a newer node's)
 * revision i64
 * origins  varint n, n × string                      (distinct origin URLs; "" = no origin)
 * settings varint n, n × entry                       (distinct plan + effective settings)
 *          entry = string plan id, varint k, k × (string setting id, string value text)
 * zones    varint n, n × zone
 *          zone  = 16 bytes id, string name, u8 flags (bit 0 paused), varint settings index,
 *                  varint origin index
 * crc32c   u32 of every byte before it
 * </pre>
 * Settings are stored by their catalogue ids and value texts, as in the JSON wire format, so the file
 * survives a catalogue that gains a setting (it gets the plan default) or loses one (skipped). A zone's
 * plan is its settings entry's plan. Decoding checks the checksum before building anything and then
 * every index and length, so a damaged file is refused whole with a message naming the problem.
 */
final class BinaryViewCodec {

    static final int VERSION = 1;
    private static final byte[] MAGIC = {'Z', 'P', 'V', 'C'};
    private static final int HEADER = MAGIC.length + 2 + 8;
    private static final int CHECKSUM = 4;
    static final int MAX_STRING = 1 << 16;
    static final HexFormat HEX = HexFormat.of();

    private BinaryViewCodec() {}

    /** Writes {@code view} to {@code out}, checksum included; {@code out} is flushed, not closed. */
    static void write(ZoneView view, OutputStream out) throws IOException {
        Map<String, Integer> origins = new LinkedHashMap<>();
        Map<SettingsKey, Integer> settings = new LinkedHashMap<>();
        List<ZoneConfig> zones = new ArrayList<>(view.size());
        view.forEach(zone -> {
            origins.putIfAbsent(zone.origin(), origins.size());
            settings.putIfAbsent(new SettingsKey(zone.plan(), zone.settings()), settings.size());
            zones.add(zone);
        });
        CRC32C crc = new CRC32C();
        // The checksum sees 64 KiB blocks, not DataOutputStream's single bytes.
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(out, crc), 1 << 16));
        data.write(MAGIC);
        data.writeShort(VERSION);
        data.writeLong(view.revision());
        writeVarint(data, origins.size());
        for (String origin : origins.keySet()) {
            writeString(data, origin);
        }
        writeVarint(data, settings.size());
        for (SettingsKey key : settings.keySet()) {
            writeString(data, key.plan().id());
            Map<Setting, SettingValue> values = key.settings().asMap();
            writeVarint(data, values.size());
            for (Map.Entry<Setting, SettingValue> value : values.entrySet()) {
                writeString(data, value.getKey().id());
                writeString(data, value.getValue().text());
            }
        }
        writeVarint(data, zones.size());
        for (ZoneConfig zone : zones) {
            data.write(HEX.parseHex(zone.id()));
            writeString(data, zone.name());
            data.writeByte(zone.paused() ? 1 : 0);
            writeVarint(data, settings.get(new SettingsKey(zone.plan(), zone.settings())));
            writeVarint(data, origins.get(zone.origin()));
        }
        data.flush();
        new DataOutputStream(out).writeInt((int) crc.getValue());
    }

    /**
     * The view in {@code bytes} (a whole file). Zones whose effective settings are equal share one
     * {@link ZoneSettings}, the one {@code canonicalizer} knows, so later changes keep sharing it.
     */
    static ZoneView read(byte[] bytes, ZoneCanonicalizer canonicalizer) throws CorruptCacheException {
        checkFrame(bytes);
        ViewCacheCursor in = new ViewCacheCursor(bytes, HEADER, bytes.length - CHECKSUM);
        long revision = readLong(bytes, MAGIC.length + 2);
        if (revision < 0) {
            throw CorruptCacheException.corrupt("negative revision " + revision);
        }
        String[] origins = new String[in.count("origins")];
        for (int i = 0; i < origins.length; i++) {
            origins[i] = in.string();
        }
        SettingsEntry[] settings = new SettingsEntry[in.count("settings entries")];
        for (int i = 0; i < settings.length; i++) {
            settings[i] = readSettings(in);
        }
        int count = in.count("zones");
        List<ZoneConfig> zones = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = in.hex(16);
            String name = in.string();
            int flags = in.u8();
            if ((flags & ~1) != 0) {
                throw CorruptCacheException.corrupt("zone " + i + " has unknown flags " + flags);
            }
            SettingsEntry entry = settings[in.index(settings.length, "settings")];
            String origin = origins[in.index(origins.length, "origin")];
            zones.add(entry.zone(id, name, origin, flags == 1, canonicalizer));
        }
        if (in.position() != bytes.length - CHECKSUM) {
            throw CorruptCacheException.corrupt((bytes.length - CHECKSUM - in.position()) + " unexpected bytes after the zones");
        }
        return ZoneView.of(revision, zones);
    }

    /** Magic, version, length and checksum, before anything is decoded. */
    private static void checkFrame(byte[] bytes) throws CorruptCacheException {
        if (bytes.length < MAGIC.length || !java.util.Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw CorruptCacheException.corrupt("not a Zoneplane view cache (no ZPVC header)");
        }
        if (bytes.length < MAGIC.length + 2) {
            throw CorruptCacheException.corrupt("truncated: " + bytes.length + " bytes");
        }
        int version = ((bytes[4] & 0xff) << 8) | (bytes[5] & 0xff);
        if (version != VERSION) {
            throw CorruptCacheException.unsupportedVersion("format version " + version + ", this node reads version " + VERSION);
        }
        if (bytes.length < HEADER + CHECKSUM) {
            throw CorruptCacheException.corrupt("truncated: " + bytes.length + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - CHECKSUM);
        if ((int) crc.getValue() != readInt(bytes, bytes.length - CHECKSUM)) {
            throw CorruptCacheException.corrupt("checksum mismatch (truncated or damaged)");
        }
    }

    private static SettingsEntry readSettings(ViewCacheCursor in) throws CorruptCacheException {
        String planId = in.string();
        Plan plan = Plan.fromId(planId).orElseThrow(() -> CorruptCacheException.corrupt("unknown plan " + planId));
        int pairs = in.count("settings");
        Map<Setting, SettingValue> chosen = new EnumMap<>(Setting.class);
        for (int i = 0; i < pairs; i++) {
            String id = in.string();
            String text = in.string();
            Setting setting = Setting.fromId(id).orElse(null);
            if (setting == null) {
                continue; // written by a node whose catalogue had a setting this one does not
            }
            chosen.put(setting, setting.value(text)
                    .orElseThrow(() -> CorruptCacheException.corrupt(text + " is not a value of " + id)));
        }
        return new SettingsEntry(plan, ZoneSettings.of(plan, chosen));
    }

    private static long readLong(byte[] bytes, int at) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[at + i] & 0xff);
        }
        return value;
    }

    private static int readInt(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8) | (bytes[at + 3] & 0xff);
    }

    private static void writeVarint(DataOutputStream out, int value) throws IOException {
        while ((value & ~0x7f) != 0) {
            out.writeByte((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_STRING) {
            throw new IOException("a value of " + utf8.length + " bytes does not fit the cache format");
        }
        writeVarint(out, utf8.length);
        out.write(utf8);
    }

    private record SettingsKey(Plan plan, ZoneSettings settings) {}

    /** One distinct plan + settings; remembers the canonical settings instance once resolved. */
    private static final class SettingsEntry {
        private final Plan plan;
        private ZoneSettings settings;
        private boolean canonical;

        SettingsEntry(Plan plan, ZoneSettings settings) {
            this.plan = plan;
            this.settings = settings;
        }

        ZoneConfig zone(String id, String name, String origin, boolean paused, ZoneCanonicalizer canonicalizer)
                throws CorruptCacheException {
            ZoneConfig zone;
            try {
                zone = new ZoneConfig(id, name, plan, origin, paused, settings);
            } catch (IllegalArgumentException e) {
                throw CorruptCacheException.corrupt(e.getMessage());
            }
            if (!canonical) {
                zone = canonicalizer.canonical(zone);
                settings = zone.settings();
                canonical = true;
            }
            return zone;
        }
    }
}
