package zoneplane.dataplane.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log's appender: each event's message, one line each, written to stdout in batches by one
 * writer thread ({@code zoneplane-access-log}) that wakes once per {@link #setBatchMillis batch interval}
 * while lines keep coming, instead of once per line.
 *
 * <p>Why not logback's {@code AsyncAppender}: its queue signals the worker on every event, so each
 * logged request cost a futex call on the event loop, a wake-up of the worker (a thread competing with
 * the event loops for the cores), and a {@code write(2)} of one line; at a constant 6,000 requests/s that
 * was 0.3–0.6 worker wake-ups and as many {@code futex} calls per request (bench/README.md, "Wake-ups per
 * request"). Here the event loop only appends to a lock-free queue; the
 * writer is signalled only when it sleeps because nothing came for a whole interval (the first line after
 * a quiet spell) or when the queue is half full, and writes what it drained with one {@code write}.
 *
 * <p>Contract, as with the {@code AsyncAppender} it replaces ({@code neverBlock}, no discarding below
 * full): {@link #append} never blocks and is safe from any thread; lines keep their order per thread; a
 * line is written at most one batch interval after it was logged (while the writer gets a core); when
 * the queue ({@link #setQueueSize}) is full, lines are dropped, never waited for, and unlike
 * {@code AsyncAppender} the drop is counted and reported as a WARN line of this class's logger ("N
 * access-log lines dropped"). {@link #stop} writes what is queued before returning.
 */
public final class BatchingAccessLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private static final Logger log = LoggerFactory.getLogger(BatchingAccessLogAppender.class);
    private static final byte[] NEW_LINE = System.lineSeparator().getBytes(StandardCharsets.UTF_8);

    private final OutputStream out;
    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** Set by the writer just before it parks with nothing to write; the appender that clears it unparks it. */
    private final AtomicBoolean writerIdle = new AtomicBoolean();
    private final LongAdder dropped = new LongAdder();
    private int queueSize = 8192;
    private long batchNanos = TimeUnit.MILLISECONDS.toNanos(20);
    private volatile boolean running;
    private Thread writer;

    /** Writes to {@link System#out} (as logback's console appender does). */
    public BatchingAccessLogAppender() {
        this(System.out);
    }

    /** @param out where the lines go; written by the writer thread only, one {@code write} and {@code flush} per batch */
    public BatchingAccessLogAppender(OutputStream out) {
        this.out = out;
    }

    /** Lines held at most before new ones are dropped; 8192 by default. */
    public void setQueueSize(int queueSize) {
        if (queueSize < 1) {
            throw new IllegalArgumentException("queue size must be positive: " + queueSize);
        }
        this.queueSize = queueSize;
    }

    public int getQueueSize() {
        return queueSize;
    }

    /** How long the writer sleeps between batches while lines keep coming; 20 ms by default. */
    public void setBatchMillis(long batchMillis) {
        if (batchMillis < 1) {
            throw new IllegalArgumentException("batch interval must be at least 1 ms: " + batchMillis);
        }
        this.batchNanos = TimeUnit.MILLISECONDS.toNanos(batchMillis);
    }

    public long getBatchMillis() {
        return TimeUnit.NANOSECONDS.toMillis(batchNanos);
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        running = true;
        writer = new Thread(this::writeBatches, "zoneplane-access-log");
        writer.setDaemon(true);
        writer.start();
        super.start();
    }

    /** Stops taking lines, writes those queued, and waits (up to a second) for the writer to finish. */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        int size = queued.incrementAndGet();
        if (size > queueSize) {
            queued.decrementAndGet();
            dropped.increment();
            return;
        }
        queue.offer(event.getFormattedMessage());
        if ((writerIdle.get() && writerIdle.compareAndSet(true, false)) || size == queueSize / 2) {
            LockSupport.unpark(writer);
        }
    }

    private void writeBatches() {
        ByteArrayOutputStream batch = new ByteArrayOutputStream(64 * 1024);
        while (true) {
            boolean stopping = !running;
            int lines = drainInto(batch);
            if (lines > 0) {
                write(batch);
            }
            reportDropped();
            if (stopping) {
                return;
            }
            if (lines == queueSize) {
                continue; // more may be waiting: no sleep
            } else if (lines > 0) {
                LockSupport.parkNanos(this, batchNanos);
            } else {
                // Nothing came for a whole interval: sleep until an appender wakes us (see append).
                writerIdle.set(true);
                if (queue.isEmpty() && running) {
                    LockSupport.park(this);
                }
                writerIdle.set(false);
            }
        }
    }

    /** Takes at most a queue's worth of lines, so a batch's buffer stays bounded. */
    private int drainInto(ByteArrayOutputStream batch) {
        int lines = 0;
        String line;
        while (lines < queueSize && (line = queue.poll()) != null) {
            queued.decrementAndGet();
            batch.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            batch.writeBytes(NEW_LINE);
            lines++;
        }
        return lines;
    }

    private void write(ByteArrayOutputStream batch) {
        try {
            // One write call: on System.out (a PrintStream) no other log output interleaves with the batch.
            batch.writeTo(out);
            out.flush();
        } catch (IOException e) {
            addError("could not write access-log lines", e);
        } finally {
            batch.reset();
        }
    }

    private void reportDropped() {
        long lost = dropped.sumThenReset();
        if (lost > 0) {
            log.warn("{} access-log lines dropped: the output did not keep up (queue of {})", lost, queueSize);
        }
    }

    /** Whether the writer is asleep until the next line (nothing came for a whole interval). */
    boolean writerIdle() {
        return writerIdle.get();
    }

    @Override
    public String toString() {
        return "BatchingAccessLogAppender{queue=" + queueSize + ", batch=" + getBatchMillis() + "ms}";
    }
}
