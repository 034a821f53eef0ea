package zoneplane.controlplane.distribution;

import org.springframework.http.HttpStatus;

/** A node-facing request the control plane refuses; {@link DistributionErrors} answers it. */
final class RequestRefused extends RuntimeException {

    private final HttpStatus status;
    private final int code;

    RequestRefused(HttpStatus status, int code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    HttpStatus status() {
        return status;
    }

    int code() {
        return code;
    }
}
