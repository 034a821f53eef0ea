package zoneplane.model;

import static zoneplane.model.Plan.BUSINESS;
import static zoneplane.model.Plan.ENTERPRISE;
import static zoneplane.model.Plan.FREE;
import static zoneplane.model.Plan.PRO;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The catalogue of zone network settings (SPEC §2). Each entry is data: wire id, a title and a
 * one-line explanation for consoles, and its {@link SettingRule}. Adding a setting is one entry here
 * plus its data-plane behaviour; nothing else in the control plane needs to know about it.
 */
public enum Setting {
    WEBSOCKETS("websockets", "WebSockets", "Allow WebSocket connections to your origin server.",
            SettingRule.onOff("on")),
    IP_GEOLOCATION("ip_geolocation", "IP Geolocation",
            "Include the country code of the visitor location with all requests to your website (CF-IPCountry).",
            SettingRule.onOff("on")),
    IPV6("ipv6", "IPv6 Compatibility",
            "Publish AAAA records for this zone so visitors can reach it over IPv6. Only Enterprise zones can turn it off.",
            SettingRule.onOff("on").changeableOnlyOn(ENTERPRISE)),
    PSEUDO_IPV4("pseudo_ipv4", "Pseudo IPv4",
            "Give IPv6 visitors a Class E IPv4 address hashed from their IPv6 address (Cf-Pseudo-IPv4).",
            SettingRule.words("off", "off", "add_header", "overwrite_header")),
    OPPORTUNISTIC_ONION("opportunistic_onion", "Onion Routing",
            "Tell Tor visitors (alt-svc) to reach the zone through the onion service instead of an exit node.",
            SettingRule.onOff("on")),
    GRPC("grpc", "gRPC", "Allow gRPC connections to your origin server.", SettingRule.onOff("off")),
    TRUE_CLIENT_IP_HEADER("true_client_ip_header", "True-Client-IP Header",
            "Send the visitor's IP address to the origin in a True-Client-IP header. Enterprise only.",
            SettingRule.onOff("off").changeableOnlyOn(ENTERPRISE)),
    MAX_UPLOAD("max_upload", "Maximum Upload Size",
            "The largest request body, in megabytes, the edge accepts for this zone; larger ones get 413.",
            SettingRule.megabytes(
                    uploadSizes(),
                    Map.of(FREE, 100, PRO, 100, BUSINESS, 200, ENTERPRISE, 500),
                    Map.of(FREE, 100, PRO, 100, BUSINESS, 200, ENTERPRISE, 5000)));

    private final String id;
    private final String title;
    private final String summary;
    private final SettingRule rule;
    /** The canonical {@code on} of an on/off setting ({@link ZoneSettings#toggle}), else null. */
    private final SettingValue on;

    Setting(String id, String title, String summary, SettingRule rule) {
        this.id = id;
        this.title = title;
        this.summary = summary;
        this.rule = rule;
        this.on = rule.isOnOff() ? rule.value("on").orElseThrow() : null;
    }

    /** The wire id, e.g. {@code websockets}. */
    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public String summary() {
        return summary;
    }

    public SettingRule rule() {
        return rule;
    }

    public SettingRule.Kind kind() {
        return rule.kind();
    }

    /** Whether the setting's values are exactly {@code on} and {@code off} (read with {@link ZoneSettings#toggle}). */
    public boolean isOnOff() {
        return on != null;
    }

    /** The canonical {@code on}; only for an on/off setting. */
    SettingValue on() {
        return on;
    }

    /** Every value the setting can take on some plan, in catalogue order. */
    public List<SettingValue> allValues() {
        return rule.values();
    }

    public SettingValue defaultFor(Plan plan) {
        return rule.defaults().get(plan);
    }

    /** The values a zone on {@code plan} may choose. */
    public List<SettingValue> allowedOn(Plan plan) {
        return rule.allowed().get(plan);
    }

    /**
     * Whether the setting is listed {@code editable} on {@code plan}, as Cloudflare's API lists it
     * ({@code max_upload} is editable on Free, where its only size is 100). The values a zone may set
     * are {@link #allowedOn}.
     */
    public boolean editableOn(Plan plan) {
        return rule.editable().get(plan);
    }

    /** Whether {@code value} may be in effect on {@code plan} (used when a zone changes plan). */
    public boolean permits(Plan plan, SettingValue value) {
        return allowedOn(plan).contains(value);
    }

    /** The canonical value for its wire text ({@code "on"}, {@code "100"}). */
    public Optional<SettingValue> value(String text) {
        return rule.value(text);
    }

    /**
     * Decides a request to set this setting to a value given as a JSON string. A word setting takes
     * strings only; a size setting also takes its number written as a string, as some clients send it.
     */
    public SettingCheck check(Plan plan, String text) {
        return check(plan, text, null);
    }

    /**
     * As {@link #check(Plan, String)} for a zone where {@code inEffect} (may be null: unknown) is the
     * value in effect: asking for that value again is always accepted, whatever the plan allows (a
     * no-op, as tools that re-apply their whole configuration expect).
     */
    public SettingCheck check(Plan plan, String text, SettingValue inEffect) {
        return value(text).map(v -> check(plan, v, inEffect)).orElseGet(this::invalid);
    }

    /**
     * Decides a request to set this setting to {@code value}, one of its {@link #allValues} (as
     * {@link #value} gives it), for a zone where {@code inEffect} (may be null: unknown) is the value
     * in effect: asking for that value again is always accepted (see {@link #check(Plan, String, SettingValue)}).
     */
    public SettingCheck check(Plan plan, SettingValue value, SettingValue inEffect) {
        return value.equals(inEffect) ? new SettingCheck.Accepted(value) : check(plan, value);
    }

    /** Decides a request to set this setting to a value given as a JSON number. */
    public SettingCheck check(Plan plan, long number) {
        return check(plan, number, null);
    }

    /** As {@link #check(Plan, long)} where {@code inEffect} (may be null) is the value in effect (see there). */
    public SettingCheck check(Plan plan, long number, SettingValue inEffect) {
        if (kind() != SettingRule.Kind.MEGABYTES) {
            return invalid();
        }
        return check(plan, Long.toString(number), inEffect);
    }

    /** The answer for a value of a JSON type the setting never takes (object, array, boolean, null). */
    public SettingCheck invalid() {
        return new SettingCheck.Invalid("Invalid value for zone setting " + id + ": expected one of "
                + describe(allValues()));
    }

    private SettingCheck check(Plan plan, SettingValue value) {
        if (allowedOn(plan).size() == 1 && !permits(plan, value)) {
            return new SettingCheck.NotEditable(id + " cannot be modified for this zone: the " + plan.id()
                    + " plan keeps it at " + defaultFor(plan).text());
        }
        if (!permits(plan, value)) {
            return new SettingCheck.NotEditable(id + " cannot be set to " + value.text() + " for this zone: the "
                    + plan.id() + " plan allows " + describe(allowedOn(plan)));
        }
        return new SettingCheck.Accepted(value);
    }

    private String describe(List<SettingValue> values) {
        String joined = values.stream().map(SettingValue::text).collect(Collectors.joining(", "));
        return kind() == SettingRule.Kind.MEGABYTES ? joined + " (megabytes)" : joined;
    }

    public static Optional<Setting> fromId(String id) {
        for (Setting setting : values()) {
            if (setting.id.equals(id)) {
                return Optional.of(setting);
            }
        }
        return Optional.empty();
    }

    /** 100–500 MB in steps of 25, then 1000–5000 MB in steps of 500 (Cloudflare's list). */
    private static List<Integer> uploadSizes() {
        List<Integer> sizes = new ArrayList<>();
        for (int mb = 100; mb <= 500; mb += 25) {
            sizes.add(mb);
        }
        for (int mb = 1000; mb <= 5000; mb += 500) {
            sizes.add(mb);
        }
        return sizes;
    }
}
