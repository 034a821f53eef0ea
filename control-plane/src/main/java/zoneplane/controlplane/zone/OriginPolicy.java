package zoneplane.controlplane.zone;

import java.net.URI;
import org.springframework.stereotype.Component;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.model.ProhibitedAddresses;

/**
 * Whether a (syntactically valid, {@link Origins}) origin may be stored: unless the operator allows
 * private origins, one whose host is a prohibited IP literal in any form ({@link ProhibitedAddresses})
 * or a {@code localhost} name is refused with 400, code 9003, as Cloudflare refuses such proxied
 * targets. A host name is not resolved here (DNS can change after the check): the edge checks every
 * address it resolves to before connecting, with the same rule.
 */
@Component
class OriginPolicy {

    private final boolean allowPrivate;

    OriginPolicy(OriginProperties properties) {
        this.allowPrivate = properties.allowPrivate();
    }

    /** Returns when {@code origin} (as {@link Origins#validate} stored it; empty: none) may be set, else throws the 400. */
    void check(String origin) {
        if (origin == null || origin.isEmpty() || allowPrivate) {
            return;
        }
        String host = URI.create(origin).getHost();
        if (ProhibitedAddresses.isLocalName(host)) {
            throw prohibited(host, "loopback (localhost)");
        }
        ProhibitedAddresses.literal(host).ifPresent(address -> ProhibitedAddresses.reason(address).ifPresent(why -> {
            throw prohibited(host, why);
        }));
    }

    private static ApiException prohibited(String host, String why) {
        String shown = host.length() > 64 ? host.substring(0, 64) + "…" : host;
        return new ApiException(ApiErrorCode.PROHIBITED_ORIGIN, "Target " + shown + " is a prohibited IP (" + why
                + ") and is not allowed as a zone origin; the origin must be a public address or a host name");
    }

    @Override
    public String toString() {
        return "OriginPolicy[allowPrivate=" + allowPrivate + "]";
    }
}
