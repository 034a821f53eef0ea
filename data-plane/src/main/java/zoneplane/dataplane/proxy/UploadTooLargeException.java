package zoneplane.dataplane.proxy;

/** A streamed request body crossed the zone's {@code max_upload}; the proxy answers 413 or resets. */
final class UploadTooLargeException extends RuntimeException {

    UploadTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes", null, false, false);
    }
}
