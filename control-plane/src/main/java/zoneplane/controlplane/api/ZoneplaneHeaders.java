package zoneplane.controlplane.api;

/** The response headers Zoneplane adds to Cloudflare's API (README, "API by example"); one home for their names. */
public final class ZoneplaneHeaders {

    /** The config revision a change created (absent on a no-op), or a snapshot's revision. */
    public static final String REVISION = "Zoneplane-Revision";

    /** With {@code Prefer: wait}: {@code complete} once every live edge node applied the change, else {@code partial}. */
    public static final String PROPAGATION = "Zoneplane-Propagation";

    private ZoneplaneHeaders() {}
}
