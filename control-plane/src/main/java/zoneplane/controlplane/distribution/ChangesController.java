package zoneplane.controlplane.distribution;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import zoneplane.controlplane.ControlPlaneEndpoints;
import zoneplane.controlplane.api.ZoneplaneHeaders;

/**
 * The node-facing distribution endpoints (SPEC §4), behind {@link NodeAuthenticationFilter}.
 *
 * <ul>
 *   <li>{@code GET /internal/v1/snapshot} → {@code {"revision":n,"zones":[…]}} consistent at n,
 *       streamed; header {@code Zoneplane-Revision: n}.
 *   <li>{@code GET /internal/v1/changes?after=n} → {@code application/x-ndjson}, one JSON object per
 *       line (see {@link ChangeStream}), open until the node leaves or {@code stream-lifetime}
 *       passes; 410 when {@code after} is below the retained history (or ahead of the database):
 *       take a snapshot.
 * </ul>
 */
@RestController
public class ChangesController {

    static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    private final SnapshotExporter snapshots;
    private final ChangeStreamHub hub;
    private final ChangeLogStore store;
    private final RevisionClock clock;

    public ChangesController(SnapshotExporter snapshots, ChangeStreamHub hub, ChangeLogStore store, RevisionClock clock) {
        this.snapshots = snapshots;
        this.hub = hub;
        this.store = store;
        this.clock = clock;
    }

    @GetMapping(ControlPlaneEndpoints.SNAPSHOT_PATH)
    public void snapshot(HttpServletResponse response) throws SQLException, IOException {
        try (SnapshotExporter.Export export = snapshots.open()) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setHeader("Cache-Control", "no-store");
            response.setHeader(ZoneplaneHeaders.REVISION, Long.toString(export.revision()));
            OutputStream out = response.getOutputStream();
            export.writeTo(out);
        }
    }

    @GetMapping(ControlPlaneEndpoints.CHANGES_PATH)
    public ResponseEntity<ResponseBodyEmitter> changes(@RequestParam(name = "after", required = false) String afterParam) {
        long after;
        try {
            after = Long.parseLong(afterParam == null ? "" : afterParam.trim());
        } catch (NumberFormatException e) {
            after = -1;
        }
        if (after < 0) {
            throw new RequestRefused(HttpStatus.BAD_REQUEST, InternalResponses.INVALID_REQUEST,
                    "after must be a revision (a non-negative integer)");
        }
        long compactedThrough = store.compactedThrough();
        if (after < compactedThrough) {
            throw new RequestRefused(HttpStatus.GONE, InternalResponses.HISTORY_GONE, "changes after " + after
                    + " are no longer retained (history starts after " + compactedThrough + "); take a snapshot");
        }
        if (after > clock.latest()) {
            clock.advanceTo(store.latestRevision()); // this replica may not have heard of it yet
            if (after > clock.latest()) {
                throw new RequestRefused(HttpStatus.GONE, InternalResponses.HISTORY_GONE, "revision " + after
                        + " is ahead of the control plane's " + clock.latest() + "; take a snapshot");
            }
        }
        return ResponseEntity.ok()
                .contentType(NDJSON)
                .header("Cache-Control", "no-store")
                .header("X-Accel-Buffering", "no")
                .body(hub.open(after));
    }
}
