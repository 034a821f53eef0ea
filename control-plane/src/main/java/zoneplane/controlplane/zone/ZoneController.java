package zoneplane.controlplane.zone;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.api.ChangeAnswers;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.api.PageRequest;
import zoneplane.controlplane.api.ResultInfo;
import zoneplane.controlplane.changelog.Applied;

/** Zones, in Cloudflare's shape: create, list, details, edit (plan, origin, paused), delete. */
@RestController
@Tag(name = "Zones", description = "Domains served through the edge, each with an origin behind it")
class ZoneController {

    @Schema(name = "ZoneCreate", description = "What Cloudflare's SDK sends, plus optional plan and origin")
    record ZoneCreate(
            @Schema(example = "example.com", requiredMode = Schema.RequiredMode.REQUIRED) String name,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) IdRef account,
            @Schema(allowableValues = {"full", "partial"}, defaultValue = "full") String type,
            @Schema(description = "Plan id (free, pro, business, enterprise, or the 32-hex plan.id), or {\"id\": …}",
                    defaultValue = "free") String plan,
            @Schema(description = "Absolute http(s) base URL of the origin", example = "http://203.0.113.10:8080") String origin) {}

    @Schema(name = "ZoneEdit", description = "Fields to change; omitted fields keep their value. origin null removes the origin.")
    record ZoneEdit(
            @Schema(description = "Plan id, or {\"id\": …}", allowableValues = {"free", "pro", "business", "enterprise"}) String plan,
            @Schema(example = "https://origin.example.net") String origin,
            Boolean paused) {}

    record IdRef(@Schema(example = "023e105f4ecef8ad9ca31a8372d0c353") String id) {}

    private final ZoneService service;
    private final ZoneRepository zones;
    private final NameServers nameServers;

    ZoneController(ZoneService service, ZoneRepository zones, NameServers nameServers) {
        this.service = service;
        this.zones = zones;
        this.nameServers = nameServers;
    }

    @PostMapping("/zones")
    @Operation(summary = "Create a zone", description = "Active when no other account's zone of the name is active, else pending "
            + "(PUT /zones/{zone_id}/activation_check). 400 (code 1061) when this account already has the name; "
            + "404 (1002) for an unknown account. A plan other than free is the operator's to choose (403, 9109, for an "
            + "account's token); an origin on a prohibited IP (loopback, private, link-local, …) answers 400, 9003.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = ZoneCreate.class))))
    ResponseEntity<Envelope<ZoneResource>> create(@RequestBody JsonNode body, AccountScope scope) {
        return view(service.create(scope, ZoneRequests.create(body)));
    }

    @GetMapping("/zones")
    @Operation(summary = "List zones", description = "Cloudflare's list parameters. Filters: name and account.name (exact, "
            + "or with an operator prefix: equal:, not_equal:, starts_with:, ends_with:, contains:, and the same with "
            + "_case_sensitive), account.id, status; match=all (every filter, the default) or any (at least one). "
            + "Sorted by order (default name), direction asc (default) or desc. Unknown parameters are ignored; "
            + "a filter value no zone can have matches nothing.")
    Envelope<List<ZoneResource>> list(
            @Parameter(description = "Zone name, optionally with an operator", example = "contains:example")
            @RequestParam(name = "name", required = false) String name,
            @Parameter(description = "Account id", example = "023e105f4ecef8ad9ca31a8372d0c353")
            @RequestParam(name = "account.id", required = false) String accountId,
            @Parameter(description = "Account name, optionally with an operator", example = "starts_with:Acme")
            @RequestParam(name = "account.name", required = false) String accountName,
            @Parameter(schema = @Schema(allowableValues = {"active", "pending", "initializing", "moved"}), example = "active")
            @RequestParam(name = "status", required = false) String status,
            @Parameter(description = "Field to sort by", example = "name", schema = @Schema(allowableValues = {
                    "name", "status", "account.id", "account.name", "plan.id", "created_on", "modified_on"}))
            @RequestParam(name = "order", required = false) String order,
            @Parameter(example = "desc", schema = @Schema(allowableValues = {"asc", "desc"}))
            @RequestParam(name = "direction", required = false) String direction,
            @Parameter(description = "Whether every filter must match (all) or at least one (any)", example = "all",
                    schema = @Schema(allowableValues = {"all", "any"}))
            @RequestParam(name = "match", required = false) String match,
            @RequestParam(name = "page", required = false) String page,
            @RequestParam(name = "per_page", required = false) String perPage,
            AccountScope scope) {
        PageRequest request = PageRequest.parse(page, perPage);
        ZoneFilter filter = ZoneFilter.parse(name, accountId, accountName, status, order, direction, match);
        List<ZoneResource> result = zones.list(scope, filter, request).stream().map(this::view).toList();
        return Envelope.list(result, ResultInfo.of(request, result.size(), zones.count(scope, filter)));
    }

    @GetMapping("/zones/{zone_id}")
    @Operation(summary = "Zone details")
    Envelope<ZoneResource> get(@PathVariable("zone_id") String zoneId, AccountScope scope) {
        return Envelope.of(view(zones.require(scope, zoneId)));
    }

    @PatchMapping("/zones/{zone_id}")
    @Operation(summary = "Edit a zone", description = "A plan change is the operator's only (403, 9109, for an account's "
            + "token; restating the current plan is a no-op) and resets the settings the new plan does not allow to its "
            + "defaults in the same revision. An origin on a prohibited IP answers 400, 9003. "
            + "No Zoneplane-Revision header when nothing changed.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = ZoneEdit.class))))
    ResponseEntity<Envelope<ZoneResource>> edit(@PathVariable("zone_id") String zoneId, @RequestBody JsonNode body, AccountScope scope) {
        return view(service.edit(scope, zoneId, ZoneRequests.edit(body)));
    }

    @DeleteMapping("/zones/{zone_id}")
    @Operation(summary = "Delete a zone", description = "Result is {\"id\": …}.")
    ResponseEntity<Envelope<Map<String, String>>> delete(@PathVariable("zone_id") String zoneId, AccountScope scope) {
        return answer(service.delete(scope, zoneId).map(id -> Map.of("id", id)));
    }

    @PutMapping("/zones/{zone_id}/activation_check")
    @Operation(summary = "Rerun the activation check", description = "A pending or moved zone becomes active when no other "
            + "account's zone of its name is active; otherwise it stays as it is. The operator's check activates it anyway "
            + "and moves the active one (status moved, no longer served). Result is {\"id\": …}; read the zone for its status.")
    ResponseEntity<Envelope<Map<String, String>>> activationCheck(@PathVariable("zone_id") String zoneId, AccountScope scope) {
        return answer(service.activationCheck(scope, zoneId).map(zone -> Map.of("id", zone.id())));
    }

    private ZoneResource view(Zone zone) {
        return ZoneResource.of(zone, nameServers);
    }

    private ResponseEntity<Envelope<ZoneResource>> view(Applied<Zone> applied) {
        return answer(applied.map(this::view));
    }

    private static <T> ResponseEntity<Envelope<T>> answer(Applied<T> applied) {
        return ChangeAnswers.ok(applied.result(), applied.revision());
    }
}
