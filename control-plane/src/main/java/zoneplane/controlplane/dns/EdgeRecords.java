package zoneplane.controlplane.dns;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import zoneplane.controlplane.api.Timestamps;
import zoneplane.controlplane.zone.Zone;
import zoneplane.model.Setting;
import zoneplane.model.ZoneSettings;

/**
 * The records the edge publishes for a zone (SPEC §5.7): an A record per edge IPv4 address, and an
 * AAAA record per edge IPv6 address only while the zone's {@code ipv6} setting is on, as at
 * Cloudflare, where {@code ipv6} decides AAAA publication rather than per-request behaviour.
 */
final class EdgeRecords {

    private EdgeRecords() {}

    static List<DnsRecordView> of(Zone zone, ZoneSettings settings, EdgeAddresses edge) {
        List<DnsRecordView> records = new ArrayList<>();
        edge.ipv4Addresses().forEach(address -> records.add(record(zone, "A", address)));
        if (settings.toggle(Setting.IPV6)) {
            edge.ipv6Addresses().forEach(address -> records.add(record(zone, "AAAA", address)));
        }
        return records;
    }

    private static DnsRecordView record(Zone zone, String type, String address) {
        return new DnsRecordView(id(zone.id(), type, address), zone.id(), zone.name(), zone.name(), type, address,
                true, true, 1, false, Timestamps.format(zone.createdOn()), Timestamps.format(zone.modifiedOn()));
    }

    private static String id(String zoneId, String type, String address) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((zoneId + '/' + type + '/' + address).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
