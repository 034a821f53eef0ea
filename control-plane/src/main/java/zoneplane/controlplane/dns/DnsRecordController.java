package zoneplane.controlplane.dns;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.api.PageRequest;
import zoneplane.controlplane.api.ResultInfo;
import zoneplane.controlplane.setting.SettingService;
import zoneplane.controlplane.zone.Zone;
import zoneplane.controlplane.zone.ZoneRepository;

/** Read-only DNS view: the records the edge would publish for a zone (SPEC §5.7). */
@RestController
@Tag(name = "DNS", description = "Records the edge publishes for a zone (read-only)")
class DnsRecordController {

    private final ZoneRepository zones;
    private final SettingService settings;
    private final EdgeAddresses edge;

    DnsRecordController(ZoneRepository zones, SettingService settings, EdgeAddresses edge) {
        this.zones = zones;
        this.settings = settings;
        this.edge = edge;
    }

    @GetMapping("/zones/{zone_id}/dns_records")
    @Operation(summary = "DNS records the edge publishes", description = "A per configured edge IPv4 address; AAAA per "
            + "edge IPv6 address only while the zone's ipv6 setting is on. Optional filter type=A|AAAA.")
    Envelope<List<DnsRecordView>> list(
            @PathVariable("zone_id") String zoneId,
            @RequestParam(name = "type", required = false) String type,
            @RequestParam(name = "page", required = false) String page,
            @RequestParam(name = "per_page", required = false) String perPage,
            AccountScope scope) {
        PageRequest request = PageRequest.parse(page, perPage);
        Zone zone = zones.require(scope, zoneId);
        List<DnsRecordView> all = EdgeRecords.of(zone, settings.effective(zone), edge).stream()
                .filter(r -> type == null || type.isEmpty() || r.type().equalsIgnoreCase(type))
                .toList();
        int from = (int) Math.min(request.offset(), all.size());
        List<DnsRecordView> pageOf = all.subList(from, Math.min(all.size(), from + request.perPage()));
        return Envelope.list(pageOf, ResultInfo.of(request, pageOf.size(), all.size()));
    }
}
