package zoneplane.controlplane.dns;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A DNS record in Cloudflare's dns_record shape. Zoneplane publishes only the proxied apex records
 * that point visitors at the edge, so {@code proxied} is always true and {@code ttl} 1 ("automatic").
 * The id is derived from zone, type and address, so it is stable across calls and restarts.
 */
public record DnsRecordView(
        String id,
        @JsonProperty("zone_id") String zoneId,
        @JsonProperty("zone_name") String zoneName,
        String name,
        String type,
        String content,
        boolean proxiable,
        boolean proxied,
        int ttl,
        boolean locked,
        @JsonProperty("created_on") String createdOn,
        @JsonProperty("modified_on") String modifiedOn) {}
