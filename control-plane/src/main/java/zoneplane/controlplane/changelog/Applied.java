package zoneplane.controlplane.changelog;

import org.springframework.http.ResponseEntity;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.api.ZoneplaneHeaders;

/**
 * The answer of a change request: the resulting object and the config revision the change created,
 * or {@link #NONE} when the request changed nothing (a PATCH to the value already in effect).
 */
public record Applied<T>(T result, long revision) {

    public static final long NONE = 0;

    public static <T> Applied<T> unchanged(T result) {
        return new Applied<>(result, NONE);
    }

    public boolean changed() {
        return revision != NONE;
    }

    /**
     * 200 with the result in the envelope and, only when a revision was created,
     * {@code Zoneplane-Revision: <n>}. A no-op answers without the header: there is nothing to
     * wait for or propagate.
     */
    public ResponseEntity<Envelope<T>> response() {
        return ok().body(Envelope.of(result));
    }

    /** The 200 builder with the revision header (if any), for callers that add headers of their own. */
    public ResponseEntity.BodyBuilder ok() {
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (changed()) {
            ok.header(ZoneplaneHeaders.REVISION, Long.toString(revision));
        }
        return ok;
    }
}
