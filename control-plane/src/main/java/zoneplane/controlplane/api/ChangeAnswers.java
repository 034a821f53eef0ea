package zoneplane.controlplane.api;

import org.springframework.http.ResponseEntity;

/**
 * The HTTP answer of a change request: 200 with the result in the envelope and, only when the change
 * created a config revision, {@code Zoneplane-Revision: <n>}. A no-op (revision 0, as
 * {@code changelog.Applied.NONE}) answers without the header: there is nothing to wait for or
 * propagate.
 */
public final class ChangeAnswers {

    private ChangeAnswers() {}

    public static <T> ResponseEntity<Envelope<T>> ok(T result, long revision) {
        return ok(revision).body(Envelope.of(result));
    }

    /** The 200 builder with the revision header (if any), for answers that add headers of their own. */
    public static ResponseEntity.BodyBuilder ok(long revision) {
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (revision > 0) {
            ok.header(ZoneplaneHeaders.REVISION, Long.toString(revision));
        }
        return ok;
    }
}
