package zoneplane.controlplane.setting;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.ChangeAnswers;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.api.JsonBody;
import zoneplane.controlplane.api.PageRequest;
import zoneplane.controlplane.api.ResultInfo;
import zoneplane.controlplane.changelog.Applied;
import zoneplane.model.Setting;

/**
 * Cloudflare's zone settings endpoints. Everything here is driven by the catalogue: there is no
 * per-setting code, so a new catalogue entry is served, validated and documented without edits.
 */
@RestController
@Tag(name = "Zone settings", description = "Network settings of a zone; GET …/zone_settings lists the catalogue")
class SettingController {

    @Schema(name = "ZoneSettingEdit")
    record SettingEdit(@Schema(description = "string, or integer for max_upload", example = "off") Object value) {}

    @Schema(name = "ZoneSettingsBulkEdit")
    record BulkEdit(List<BulkItem> items) {}

    record BulkItem(@Schema(example = "websockets") String id, @Schema(example = "off") Object value) {}

    /** The catalogue as served: it only changes with a new release. */
    private static final List<CatalogueEntry> CATALOGUE =
            Arrays.stream(Setting.values()).map(CatalogueEntry::of).toList();

    private final SettingService service;

    SettingController(SettingService service) {
        this.service = service;
    }

    @GetMapping("/zone_settings")
    @Operation(summary = "The settings catalogue (Zoneplane extension)", description = "Every zone setting in the "
            + "Network page's order, with its title, explanation, kind, every value, and per plan the default, the "
            + "values a zone may choose and whether it may change it. The same for every caller with a valid "
            + "token: dashboards draw their controls from it instead of keeping a copy.")
    Envelope<List<CatalogueEntry>> catalogue() {
        return Envelope.list(CATALOGUE,
                ResultInfo.of(new PageRequest(1, PageRequest.MAX_PER_PAGE), CATALOGUE.size(), CATALOGUE.size()));
    }

    @GetMapping("/zones/{zone_id}/settings")
    @Operation(summary = "All settings of a zone")
    Envelope<List<SettingView>> all(@PathVariable("zone_id") String zoneId, AccountScope scope) {
        List<SettingView> views = service.all(scope, zoneId);
        return Envelope.list(views, ResultInfo.of(new PageRequest(1, PageRequest.MAX_PER_PAGE), views.size(), views.size()));
    }

    @PatchMapping("/zones/{zone_id}/settings")
    @Operation(summary = "Edit several settings", description = "All items or none, in one revision. 400 (1004) without items; "
            + "the result lists the items' settings in request order. No Zoneplane-Revision header when nothing changed.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = BulkEdit.class))))
    ResponseEntity<Envelope<List<SettingView>>> editAll(
            @PathVariable("zone_id") String zoneId, @RequestBody JsonNode body, AccountScope scope) {
        Applied<List<SettingView>> applied = SettingAnswers.applied(service.editAll(scope, zoneId, items(body)));
        return ChangeAnswers.ok(applied.result(), applied.revision());
    }

    @GetMapping("/zones/{zone_id}/settings/{setting_id}")
    @Operation(summary = "One setting of a zone", description = "Carries an ETag usable with If-Match on PATCH.")
    ResponseEntity<Envelope<SettingView>> one(
            @PathVariable("zone_id") String zoneId, @PathVariable("setting_id") String settingId, AccountScope scope) {
        SettingView view = service.one(scope, zoneId, settingId);
        return ResponseEntity.ok().eTag(view.etag()).body(Envelope.of(view));
    }

    @PatchMapping("/zones/{zone_id}/settings/{setting_id}")
    @Operation(summary = "Edit one setting", description = "Idempotent: the value already in effect changes nothing and "
            + "answers without Zoneplane-Revision. If-Match mismatch → 412.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = SettingEdit.class))))
    ResponseEntity<Envelope<SettingView>> edit(
            @PathVariable("zone_id") String zoneId,
            @PathVariable("setting_id") String settingId,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody JsonNode body,
            AccountScope scope) {
        JsonNode value = JsonBody.of(body, Set.of("value")).required("value");
        Applied<SettingView> applied = SettingAnswers.applied(
                service.edit(scope, zoneId, RequestedValue.of(settingId, value), Precondition.ifMatch(ifMatch))).map(views -> views.get(0));
        return ChangeAnswers.ok(applied.revision()).eTag(applied.result().etag()).body(Envelope.of(applied.result()));
    }

    private static List<RequestedSetting> items(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw JsonBody.invalid("Request body must be a JSON object");
        }
        JsonNode items = body.get("items");
        if (items == null || items.isNull() || (items.isArray() && items.isEmpty())) {
            throw new ApiException(ApiErrorCode.MISSING_ITEMS, "Missing 'items'");
        }
        JsonBody.of(body, Set.of("items"));
        if (!items.isArray()) {
            throw JsonBody.invalid("Field 'items' must be an array of {\"id\", \"value\"}");
        }
        List<RequestedSetting> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode node : items) {
            JsonBody item = JsonBody.of(node, Set.of("id", "value"));
            String id = item.requiredText("id");
            if (!seen.add(id)) {
                throw JsonBody.invalid("Setting " + RequestedValue.setting(id).id() + " appears twice in 'items'");
            }
            result.add(RequestedValue.of(RequestedValue.setting(id), item.required("value")));
        }
        return result;
    }
}
