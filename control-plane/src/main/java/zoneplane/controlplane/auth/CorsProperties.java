package zoneplane.controlplane.auth;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin access for a browser dashboard served from another origin.
 *
 * @param allowedOrigins exact origins ({@code https://admin.example.com}, no path) allowed to call the
 *     API from a browser ({@code ZONEPLANE_CORS_ALLOWED_ORIGINS}, comma-separated; default none, i.e.
 *     no cross-origin access). {@code *} allows any origin; the API uses bearer tokens, never cookies,
 *     so credentials are never allowed cross-origin.
 */
@ConfigurationProperties("zoneplane.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins) {

    public CorsProperties {
        allowedOrigins = List.copyOf(allowedOrigins);
        for (String origin : allowedOrigins) {
            if (!origin.equals("*") && !isOrigin(origin)) {
                throw new IllegalArgumentException("zoneplane.cors.allowed-origins: '" + origin
                        + "' is not an origin (scheme://host[:port], no path)");
            }
        }
    }

    private static boolean isOrigin(String origin) {
        try {
            URI uri = URI.create(origin);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
