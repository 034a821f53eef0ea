package zoneplane.dataplane.geo;

import java.nio.file.Path;

/**
 * A geolocation or exit-list file that cannot be used as it is. The message names the file and, when
 * known, the line, so an operator can fix it without reading code.
 */
public final class GeoFileException extends RuntimeException {

    private final transient Path file;

    public GeoFileException(Path file, long line, String problem) {
        super(file + " line " + line + ": " + problem);
        this.file = file;
    }

    public GeoFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
