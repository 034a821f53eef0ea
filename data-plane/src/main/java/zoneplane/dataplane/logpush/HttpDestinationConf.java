package zoneplane.dataplane.logpush;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An HTTP {@code destination_conf} read as Cloudflare does: every {@code header_<Name>=<value>} query
 * parameter becomes the request header {@code Name: value} (URL-decoded) and leaves the URL; the other
 * parameters stay as written. The headers that frame the upload ({@code Host}, {@code Content-Length},
 * {@code Content-Type}, {@code Content-Encoding}) and hop-by-hop headers are the node's and are not set this
 * way, as the control plane documents for {@code destination_conf}. {@link #toString()} shows the host only:
 * the URL and headers may hold secrets.
 */
record HttpDestinationConf(URI target, Map<String, String> headers) {

    private static final String PREFIX = "header_";
    private static final Set<String> FRAMING = Set.of("host", "content-length", "content-type",
            "content-encoding", "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    HttpDestinationConf {
        headers = Map.copyOf(headers);
    }

    /** Throws {@link IllegalArgumentException} with a message without secrets when the text is not one. */
    static HttpDestinationConf parse(String destinationConf) {
        URI uri;
        try {
            uri = new URI(destinationConf);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the destination is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("the destination must be an http(s) URL with a host");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        StringBuilder kept = new StringBuilder();
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
                    String header = name.substring(PREFIX.length());
                    if (!header.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                        throw new IllegalArgumentException("header_ parameter names an invalid header");
                    }
                    if (!FRAMING.contains(header.toLowerCase(Locale.ROOT))) {
                        headers.put(header, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                    }
                } else if (!pair.isEmpty()) {
                    kept.append(kept.isEmpty() ? "" : "&").append(pair);
                }
            }
        }
        String base = scheme + "://" + uri.getRawAuthority() + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/"
                : uri.getRawPath());
        return new HttpDestinationConf(URI.create(kept.isEmpty() ? base : base + "?" + kept), headers);
    }

    boolean https() {
        return "https".equals(target.getScheme());
    }

    @Override
    public String toString() {
        return "HttpDestinationConf{" + target.getScheme() + "://" + target.getHost() + ", " + headers.size() + " header(s)}";
    }
}
