package zoneplane.dataplane.origin;

/** A streamed request body crossed the zone's {@code max_upload}; the proxy answers 413 or resets. */
public final class UploadTooLargeException extends RuntimeException {

    public UploadTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes", null, false, false);
    }
}
