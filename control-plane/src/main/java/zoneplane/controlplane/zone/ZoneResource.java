package zoneplane.controlplane.zone;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import zoneplane.controlplane.api.Timestamps;

/**
 * A zone as the API shows it (the REST resource; the data plane's {@code view.ZoneView} is the
 * edge's host → config map, a different thing): Cloudflare's zone object (the fields its SDKs and Terraform read)
 * plus Zoneplane's {@code origin} ({@code null} while the zone has none). {@code activated_on} is
 * null while the zone never was active; {@code original_name_servers}, {@code original_registrar}
 * and {@code original_dnshost} are null (Zoneplane does not look the name up before it is added).
 */
@Schema(name = "ZoneView") // the OpenAPI schema keeps its published name
public record ZoneResource(
        @Schema(example = "023e105f4ecef8ad9ca31a8372d0c353") String id,
        @Schema(example = "example.com") String name,
        @Schema(allowableValues = {"active", "pending", "moved"}, example = "active") String status,
        boolean paused,
        @Schema(allowableValues = {"full", "partial"}) String type,
        @JsonProperty("development_mode") int developmentMode,
        @JsonProperty("name_servers") @Schema(example = "[\"ada.ns.zoneplane.invalid\", \"kai.ns.zoneplane.invalid\"]") List<String> nameServers,
        @JsonProperty("original_name_servers") List<String> originalNameServers,
        @JsonProperty("original_registrar") String originalRegistrar,
        @JsonProperty("original_dnshost") String originalDnshost,
        @JsonProperty("vanity_name_servers") List<String> vanityNameServers,
        Meta meta,
        Owner owner,
        AccountRef account,
        PlanRef plan,
        @JsonProperty("created_on") String createdOn,
        @JsonProperty("modified_on") String modifiedOn,
        @JsonProperty("activated_on") String activatedOn,
        String origin) {

    public record AccountRef(String id, String name) {}

    /** {@code id} is the 32-hex plan id, {@code legacy_id} the short name ({@code free}, {@code pro}, …). */
    public record PlanRef(
            @Schema(example = "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee") String id,
            @Schema(example = "Free Website") String name,
            @JsonProperty("legacy_id") @Schema(example = "free") String legacyId,
            @JsonProperty("is_subscribed") boolean isSubscribed,
            @JsonProperty("can_subscribe") boolean canSubscribe,
            @JsonProperty("externally_managed") boolean externallyManaged) {}

    /** The zone's owner: its account (Cloudflare's {@code type} is {@code user} or {@code organization}). */
    public record Owner(String id, String name, @Schema(example = "organization") String type) {}

    /** Cloudflare's zone flags; Zoneplane has no page rules or custom certificates, so both quotas are 0. */
    public record Meta(
            @JsonProperty("cdn_only") boolean cdnOnly,
            @JsonProperty("dns_only") boolean dnsOnly,
            @JsonProperty("foundation_dns") boolean foundationDns,
            @JsonProperty("phishing_detected") boolean phishingDetected,
            @JsonProperty("page_rule_quota") int pageRuleQuota,
            @JsonProperty("custom_certificate_quota") int customCertificateQuota) {}

    private static final Meta META = new Meta(false, false, false, false, 0, 0);

    static ZoneResource of(Zone zone, NameServers nameServers) {
        return new ZoneResource(zone.id(), zone.name(), zone.status(), zone.paused(), zone.type(), 0,
                nameServers.of(zone.accountId()), null, null, null, List.of(), META,
                new Owner(zone.accountId(), zone.accountName(), "organization"),
                new AccountRef(zone.accountId(), zone.accountName()),
                new PlanRef(PlanIds.id(zone.plan()), zone.plan().displayName(), zone.plan().id(), true, false, false),
                Timestamps.format(zone.createdOn()), Timestamps.format(zone.modifiedOn()),
                zone.activatedOn() == null ? null : Timestamps.format(zone.activatedOn()),
                zone.hasOrigin() ? zone.origin() : null);
    }
}
