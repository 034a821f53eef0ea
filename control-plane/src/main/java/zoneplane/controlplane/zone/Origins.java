package zoneplane.controlplane.zone;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import zoneplane.controlplane.api.JsonBody;

/**
 * A zone's origin: an absolute {@code http} or {@code https} URL with a host and optionally a port
 * (1 to 65535) and a base path; no credentials, query or fragment (the edge appends the visitor's path
 * and query). Which addresses it may point at is {@link OriginPolicy}'s decision.
 */
final class Origins {

    static final int MAX_LENGTH = 2048;

    private Origins() {}

    /** The origin as stored (scheme and host lower-cased), or 400 (code 1003) saying what is wrong. */
    static String validate(String raw) {
        if (raw.length() > MAX_LENGTH) {
            throw invalid("must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw invalid("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw invalid("must be an absolute http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid("must name a host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("must not carry credentials, a query or a fragment");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw invalid("has port " + uri.getPort() + ": a port is 1 to 65535");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port + path;
    }

    private static RuntimeException invalid(String why) {
        return JsonBody.invalid("Field 'origin' " + why);
    }
}
