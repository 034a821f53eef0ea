package zoneplane.controlplane.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import zoneplane.model.wire.StreamLine;

/**
 * One node's open change stream. Writes happen only inside {@link #drain()}, which a work-in-progress
 * counter serialises onto one shared worker at a time: lines never interleave, a stream never holds
 * a thread while idle, and signals that arrive during a drain are never lost.
 *
 * <p>Lines ({@link StreamLine}, NDJSON): each change exactly as the change log stores it
 * ({@code {"revision":n,"type":"zone_upserted",…}}), {@code {"type":"heartbeat","revision":head}}
 * (first on every connection and every heartbeat interval, before the changes of that pass), and a
 * final {@code {"type":"error","message":…}} before the server ends a stream it cannot continue (a
 * gap in the history: the node reconnects, and gets 410 if it must resnapshot).
 */
final class ChangeStream {

    private static final Logger log = LoggerFactory.getLogger(ChangeStream.class);

    /** Lines per drain pass before the stream yields its worker to the others. */
    private static final int MAX_LINES_PER_PASS = 2000;
    private static final int BATCH = 500;

    private final ResponseBodyEmitter emitter;
    private final ChangeTail tail;
    private final RevisionClock clock;
    private final Executor workers;
    private final Runnable onClosed;
    private final AtomicInteger wip = new AtomicInteger();
    private long position; // guarded by the drain serialisation
    private volatile boolean heartbeatDue = true; // the first line tells the node where the stream stands
    private volatile boolean closed;
    private volatile String endReason;

    ChangeStream(ResponseBodyEmitter emitter, long after, ChangeTail tail, RevisionClock clock, Executor workers,
            Runnable onClosed) {
        this.emitter = emitter;
        this.position = after;
        this.tail = tail;
        this.clock = clock;
        this.workers = workers;
        this.onClosed = onClosed;
    }

    /** Asks for a drain: new changes may be there. Cheap and non-blocking; callable from any thread. */
    void signal() {
        if (!closed && wip.getAndIncrement() == 0) {
            try {
                workers.execute(this::drainLoop);
            } catch (RejectedExecutionException stopping) {
                close();
            }
        }
    }

    void heartbeat() {
        heartbeatDue = true;
        signal();
    }

    /** Ends the stream with an error line telling the node why (it reconnects); callable from any thread. */
    void end(String reason) {
        endReason = reason;
        signal();
    }

    /** Ends the stream from the server side (shutdown, lifetime reached). */
    void close() {
        if (!closed) {
            closed = true;
            onClosed.run();
            try {
                emitter.complete();
            } catch (RuntimeException alreadyDone) {
                // the container completed it concurrently
            }
        }
    }

    /** The container ended the stream (client gone, timeout, error). */
    void closedByContainer() {
        closed = true;
        onClosed.run();
    }

    private void drainLoop() {
        int missed = 1;
        do {
            try {
                drain();
            } catch (RuntimeException e) {
                // The change log cannot be read (database down, shutting down): end this stream so
                // the node reconnects, possibly to a healthy replica, from its own revision.
                log.warn("ending a change stream at revision {}: {}", position, e.getMessage());
                write(new StringBuilder(StreamLine.error("the change log is unavailable; reconnect")).append('\n'));
                close();
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drain() {
        if (closed) {
            return;
        }
        if (endReason != null) {
            write(new StringBuilder(StreamLine.error(endReason)).append('\n'));
            close();
            return;
        }
        StringBuilder out = new StringBuilder();
        int lines = 0;
        long latest = clock.latest();
        if (heartbeatDue) {
            // First, so that a node learns the head revision (and measures its lag against it) even
            // when what follows cannot be applied.
            heartbeatDue = false;
            out.append(StreamLine.heartbeat(Math.max(latest, position))).append('\n');
        }
        String failure = null;
        while (position < latest && lines < MAX_LINES_PER_PASS && failure == null) {
            List<ChangeLogStore.Entry> batch = tail.after(position, BATCH);
            if (batch.isEmpty()) {
                break;
            }
            for (ChangeLogStore.Entry entry : batch) {
                if (entry.revision() != position + 1) {
                    failure = "revision " + (position + 1) + " is no longer in the change log; reconnect";
                    break;
                }
                out.append(entry.payload()).append('\n');
                position = entry.revision();
                lines++;
            }
        }
        if (failure != null) {
            out.append(StreamLine.error(failure)).append('\n');
        }
        write(out);
        if (failure != null) {
            close();
        } else if (lines >= MAX_LINES_PER_PASS) {
            try {
                workers.execute(this::signal); // more to send: queue behind the other streams
            } catch (RejectedExecutionException stopping) {
                close();
            }
        }
    }

    private void write(StringBuilder out) {
        if (out.length() == 0 || closed) {
            return;
        }
        try {
            emitter.send(out.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | IllegalStateException e) {
            // The node went away mid-write; the container reports it too, we just stop writing.
            closed = true;
            onClosed.run();
            try {
                emitter.completeWithError(e);
            } catch (IllegalStateException alreadyDone) {
                // completed concurrently by the container: nothing left to release
            }
        }
    }

    long position() {
        return position;
    }

    @Override
    public String toString() {
        return "ChangeStream{position=" + position + ", closed=" + closed + "}";
    }
}
