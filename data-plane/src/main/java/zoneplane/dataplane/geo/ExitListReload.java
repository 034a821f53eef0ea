package zoneplane.dataplane.geo;

import java.nio.file.Path;

/** The outcome of (re)loading the Tor exit list, reported to the listener given to {@link TorExitList}. */
public sealed interface ExitListReload {

    Path file();

    /** The file was read and its addresses are now the list. */
    record Applied(Path file, int addresses) implements ExitListReload {}

    /** The file could not be used; the list in force before stays (empty if there was none). */
    record Failed(Path file, String reason) implements ExitListReload {}
}
