package zoneplane.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/** Reads one sample from a data-plane node's Prometheus text at {@code /metrics} (management port). */
final class NodeMetrics {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private NodeMetrics() {}

    static String scrape(String managementBase) throws IOException, InterruptedException {
        return get(managementBase + "/metrics");
    }

    /** The body of a management endpoint that answers 200. */
    static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** The first sample named exactly {@code name} (any labels), if the node exports it. */
    static OptionalDouble sample(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name) && line.length() > name.length()
                    && (line.charAt(name.length()) == ' ' || line.charAt(name.length()) == '{')) {
                String value = line.substring(line.lastIndexOf(' ') + 1);
                return OptionalDouble.of(Double.parseDouble(value));
            }
        }
        return OptionalDouble.empty();
    }

    /** The value of {@code label} on the first sample named {@code name}, if the node exports it with that label. */
    static Optional<String> label(String text, String name, String label) {
        String key = label + "=\"";
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{")) {
                int at = line.indexOf(key);
                if (at > 0) {
                    int from = at + key.length();
                    return Optional.of(line.substring(from, line.indexOf('"', from)));
                }
            }
        }
        return Optional.empty();
    }
}
