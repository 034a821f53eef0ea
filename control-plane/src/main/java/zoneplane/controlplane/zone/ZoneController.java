package zoneplane.controlplane.zone;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.api.PageRequest;
import zoneplane.controlplane.api.ResultInfo;
import zoneplane.controlplane.changelog.Applied;
import zoneplane.model.ZoneConfig;

/** Zones, in Cloudflare's shape: create, list, details, edit (plan, origin, paused), delete. */
@RestController
@Tag(name = "Zones", description = "Domains served through the edge, each with an origin behind it")
class ZoneController {

    @Schema(name = "ZoneCreate", description = "What Cloudflare's SDK sends, plus optional plan and origin")
    record ZoneCreate(
            @Schema(example = "example.com", requiredMode = Schema.RequiredMode.REQUIRED) String name,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) IdRef account,
            @Schema(allowableValues = {"full", "partial"}, defaultValue = "full") String type,
            @Schema(description = "Plan id, or {\"id\": …}", allowableValues = {"free", "pro", "business", "enterprise"},
                    defaultValue = "free") String plan,
            @Schema(description = "Absolute http(s) base URL of the origin", example = "http://203.0.113.10:8080") String origin) {}

    @Schema(name = "ZoneEdit", description = "Fields to change; omitted fields keep their value. origin null removes the origin.")
    record ZoneEdit(
            @Schema(description = "Plan id, or {\"id\": …}", allowableValues = {"free", "pro", "business", "enterprise"}) String plan,
            @Schema(example = "https://origin.example.net") String origin,
            Boolean paused) {}

    record IdRef(@Schema(example = "023e105f4ecef8ad9ca31a8372d0c353") String id) {}

    /** The zones.status values the schema allows. */
    private static final Set<String> ZONE_STATUSES = Set.of("active", "pending", "initializing", "moved");

    private final ZoneService service;
    private final ZoneRepository zones;

    ZoneController(ZoneService service, ZoneRepository zones) {
        this.service = service;
        this.zones = zones;
    }

    @PostMapping("/zones")
    @Operation(summary = "Create a zone", description = "409 (code 1061) when the name exists; 404 (1002) for an unknown account. "
            + "A plan other than free is the operator's to choose (403, 9109, for an account's token); an origin on a "
            + "prohibited IP (loopback, private, link-local, …) answers 400, 9003.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = ZoneCreate.class))))
    ResponseEntity<Envelope<ZoneView>> create(@RequestBody JsonNode body, AccountScope scope) {
        return view(service.create(scope, ZoneRequests.create(body)));
    }

    @GetMapping("/zones")
    @Operation(summary = "List zones", description = "Filters: exact name, account.id, status. Sorted by name.")
    Envelope<List<ZoneView>> list(
            @RequestParam(name = "name", required = false) String name,
            @RequestParam(name = "account.id", required = false) String accountId,
            @RequestParam(name = "status", required = false) String status,
            @RequestParam(name = "page", required = false) String page,
            @RequestParam(name = "per_page", required = false) String perPage,
            AccountScope scope) {
        PageRequest request = PageRequest.parse(page, perPage);
        if ((accountId != null && !accountId.isEmpty() && !ZoneConfig.isZoneId(accountId))
                || (status != null && !status.isEmpty() && !ZONE_STATUSES.contains(status))) {
            // a filter no zone can match (and that must not reach SQL as is: e.g. NUL bytes) matches nothing
            return Envelope.list(List.of(), ResultInfo.of(request, 0, 0));
        }
        String storedName = null;
        if (name != null && !name.isEmpty()) {
            Optional<String> normalized = ZoneNames.tryNormalize(name);
            if (normalized.isEmpty()) {
                // no zone can have this name: an empty list, as for any name that matches nothing
                return Envelope.list(List.of(), ResultInfo.of(request, 0, 0));
            }
            storedName = normalized.get();
        }
        ZoneFilter filter = new ZoneFilter(storedName, blankToNull(accountId), blankToNull(status));
        List<ZoneView> result = zones.list(scope, filter, request).stream().map(ZoneView::of).toList();
        return Envelope.list(result, ResultInfo.of(request, result.size(), zones.count(scope, filter)));
    }

    @GetMapping("/zones/{zone_id}")
    @Operation(summary = "Zone details")
    Envelope<ZoneView> get(@PathVariable("zone_id") String zoneId, AccountScope scope) {
        return Envelope.of(ZoneView.of(zones.require(scope, zoneId)));
    }

    @PatchMapping("/zones/{zone_id}")
    @Operation(summary = "Edit a zone", description = "A plan change is the operator's only (403, 9109, for an account's "
            + "token; restating the current plan is a no-op) and resets the settings the new plan does not allow to its "
            + "defaults in the same revision. An origin on a prohibited IP answers 400, 9003. "
            + "No Zoneplane-Revision header when nothing changed.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = ZoneEdit.class))))
    ResponseEntity<Envelope<ZoneView>> edit(@PathVariable("zone_id") String zoneId, @RequestBody JsonNode body, AccountScope scope) {
        return view(service.edit(scope, zoneId, ZoneRequests.edit(body)));
    }

    @DeleteMapping("/zones/{zone_id}")
    @Operation(summary = "Delete a zone", description = "Result is {\"id\": …}.")
    ResponseEntity<Envelope<Map<String, String>>> delete(@PathVariable("zone_id") String zoneId, AccountScope scope) {
        Applied<String> deleted = service.delete(scope, zoneId);
        return new Applied<>(Map.of("id", deleted.result()), deleted.revision()).response();
    }

    private static String blankToNull(String parameter) {
        return parameter == null || parameter.isEmpty() ? null : parameter;
    }

    private static ResponseEntity<Envelope<ZoneView>> view(Applied<Zone> applied) {
        return new Applied<>(ZoneView.of(applied.result()), applied.revision()).response();
    }
}
