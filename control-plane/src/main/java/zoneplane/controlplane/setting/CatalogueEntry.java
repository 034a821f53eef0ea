package zoneplane.controlplane.setting;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.wire.SettingJson;

/**
 * One setting of the catalogue as a dashboard needs it to draw a control without a copy of the
 * catalogue: its title and explanation, every value it can take in the order to offer them, and per
 * plan the default, the values a zone on that plan may choose, and whether it may change it at all.
 */
@Schema(name = "ZoneSettingCatalogueEntry")
public record CatalogueEntry(
        @Schema(example = "max_upload") String id,
        @Schema(example = "Maximum Upload Size") String title,
        @Schema(example = "The largest request body, in megabytes, the edge accepts for this zone; larger ones get 413.") String summary,
        @Schema(description = "word: values are JSON strings; megabytes: JSON integers", allowableValues = {"word", "megabytes"})
        String kind,
        @Schema(description = "every value, in the order a control offers them") List<Object> values,
        @Schema(description = "by plan id (free, pro, business, enterprise)") Map<String, PlanRule> plans) {

    /** What a zone on one plan may do with the setting. */
    @Schema(name = "ZoneSettingPlanRule")
    public record PlanRule(
            @JsonProperty("default") @Schema(example = "100") Object defaultValue,
            @Schema(description = "the values a zone on this plan may choose") List<Object> allowed,
            @Schema(description = "editable as Cloudflare lists it on this plan (false: the plan keeps the default; "
                    + "max_upload is listed editable on every plan, the allowed sizes are what is enforced)") boolean editable) {}

    static CatalogueEntry of(Setting setting) {
        Map<String, PlanRule> plans = new LinkedHashMap<>();
        for (Plan plan : Plan.values()) {
            plans.put(plan.id(), new PlanRule(SettingJson.value(setting.defaultFor(plan)),
                    setting.allowedOn(plan).stream().map(SettingJson::value).toList(), setting.editableOn(plan)));
        }
        return new CatalogueEntry(setting.id(), setting.title(), setting.summary(),
                setting.kind().name().toLowerCase(Locale.ROOT),
                setting.allValues().stream().map(SettingJson::value).toList(), plans);
    }
}
