package zoneplane.controlplane.distribution;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Cloudflare-envelope answers of the node-facing endpoints. Nodes are not Cloudflare clients, but one
 * shape everywhere keeps operators' tooling (curl, logs) simple. Messages are safe to show.
 */
final class InternalResponses {

    /** Error code for requests nodes get wrong (bad revision, bad report). */
    static final int INVALID_REQUEST = 1001;
    /** Error code of 410: the requested history was compacted away. */
    static final int HISTORY_GONE = 1410;

    record Error(int code, String message) {}

    record Envelope<T>(boolean success, List<Error> errors, List<Object> messages, T result) {}

    private InternalResponses() {}

    static <T> ResponseEntity<Envelope<T>> ok(T result) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(new Envelope<>(true, List.of(), List.of(), result));
    }

    static <T> ResponseEntity<Envelope<T>> error(HttpStatus status, int code, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(new Envelope<>(false, List.of(new Error(code, message)), List.of(), null));
    }
}
