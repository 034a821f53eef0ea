package zoneplane.controlplane.distribution;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import zoneplane.controlplane.api.ApiError;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.Envelope;

/** Envelope answers of the node-facing endpoints (the API's {@link Envelope}, one shape everywhere). */
final class InternalResponses {

    /** A request nodes got wrong (bad revision, bad report): the API's 1003. */
    static final int INVALID_REQUEST = ApiErrorCode.INVALID_REQUEST.code();
    /** 410: the requested history was compacted away (or is ahead of the database); take a snapshot. */
    static final int HISTORY_GONE = 1410;

    private InternalResponses() {}

    static <T> ResponseEntity<Envelope<T>> ok(T result) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Envelope.of(result));
    }

    static ResponseEntity<Envelope<Object>> error(HttpStatus status, int code, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(Envelope.failure(new ApiError(code, message)));
    }
}
