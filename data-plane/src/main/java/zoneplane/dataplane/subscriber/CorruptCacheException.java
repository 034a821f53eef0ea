package zoneplane.dataplane.subscriber;

import java.io.IOException;

/**
 * The disk cache's content is not a view this node can load (truncated, corrupt, or written in a
 * format it does not read): it is refused whole, never loaded in part. The message is safe to log.
 */
final class CorruptCacheException extends IOException {

    private final boolean unsupportedVersion;

    private CorruptCacheException(String message, boolean unsupportedVersion) {
        super(message);
        this.unsupportedVersion = unsupportedVersion;
    }

    static CorruptCacheException corrupt(String message) {
        return new CorruptCacheException(message, false);
    }

    /** A well-formed file of a format version this node does not know (a newer node wrote it). */
    static CorruptCacheException unsupportedVersion(String message) {
        return new CorruptCacheException(message, true);
    }

    boolean unsupportedVersion() {
        return unsupportedVersion;
    }
}
