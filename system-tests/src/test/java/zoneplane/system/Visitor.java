package zoneplane.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A well-behaved visitor: JDK HttpClient, HTTP/1.1 keep-alive, addressing a zone by {@code Host}
 * while connecting to a node's loopback port. One instance per sequential client (its own connections).
 */
final class Visitor {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    /** What came back: status, and (for origin answers) the request headers the origin received. */
    record Answer(int status, Map<String, String> originSaw, String body) {

        boolean originHas(String header) {
            return originSaw.containsKey(header.toLowerCase(Locale.ROOT));
        }
    }

    Answer get(String base, String host, String path) throws IOException, InterruptedException {
        return get(base, host, path, Map.of());
    }

    Answer get(String base, String host, String path, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
                .header("Host", host);
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), parseEcho(response.body()), response.body());
    }

    /** The origin's echo: one {@code name: value} line per request header it received. */
    static Map<String, String> parseEcho(String body) {
        Map<String, String> headers = new HashMap<>();
        for (String line : body.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                headers.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        return headers;
    }
}
