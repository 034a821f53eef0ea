package zoneplane.dataplane.logpush;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Logpush's requests to the control plane (the job feed and the outcome reports), with the node token, to
 * the current replica; a failed call moves both to the next replica, as the usage shipper does. The JDK
 * client's own threads carry the calls; callers hop back to the logpush thread.
 */
final class ControlPlaneCalls {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<URI> replicas;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private volatile int replica;

    ControlPlaneCalls(List<URI> replicas, String nodeToken) {
        this.replicas = List.copyOf(replicas);
        this.authorization = "Bearer " + nodeToken;
    }

    /** {@code GET path}, with {@code If-None-Match: etag} when one is known. */
    CompletableFuture<HttpResponse<String>> get(String path, String etag) {
        HttpRequest.Builder request = request(path).GET();
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code PUT path} with a JSON body. */
    CompletableFuture<HttpResponse<String>> put(String path, String json) {
        return http.sendAsync(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The last call failed: the next goes to the next replica. */
    void failed() {
        replica = (replica + 1) % replicas.size();
    }

    private HttpRequest.Builder request(String path) {
        String base = replicas.get(replica).toString();
        URI target = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
        return HttpRequest.newBuilder(target).timeout(TIMEOUT).header("Authorization", authorization);
    }

    @Override
    public String toString() {
        return "ControlPlaneCalls{" + replicas + ", token=<redacted>}";
    }
}
