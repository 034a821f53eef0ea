package zoneplane.controlplane.logpush;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code name=value} of a query string as destinations and {@code logpull_options} carry
 * them: {@code raw} as written, name and value percent-decoded ({@code +} is a space).
 */
record QueryParameter(String raw, String name, String value) {

    /** The parameters of {@code query} in order, empty ones skipped; a malformed escape throws {@link IllegalArgumentException}. */
    static List<QueryParameter> parse(String query) {
        List<QueryParameter> parameters = new ArrayList<>();
        if (query == null) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.add(new QueryParameter(pair, URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8)));
        }
        return parameters;
    }
}
