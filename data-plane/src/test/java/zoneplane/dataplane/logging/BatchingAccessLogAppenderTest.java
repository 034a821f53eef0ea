package zoneplane.dataplane.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The access log's batching appender: every line, in order, never blocking, batched, drops counted. */
class BatchingAccessLogAppenderTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final LoggerContext context = new LoggerContext();
    private final RecordingOutput output = new RecordingOutput();
    private final BatchingAccessLogAppender appender = new BatchingAccessLogAppender(output);

    @AfterEach
    void stop() {
        output.release();
        appender.stop();
    }

    @Test
    void linesOfSeveralThreadsAllArriveEachWholeAndInOrderPerThread() throws Exception {
        start(8192);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    appender.doAppend(event("{\"thread\":" + thread + ",\"n\":" + i + "}"));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        appender.stop();

        List<String> lines = output.lines();
        assertThat(lines).hasSize(4000);
        for (int t = 0; t < 4; t++) {
            String prefix = "{\"thread\":" + t + ",";
            List<String> own = lines.stream().filter(line -> line.startsWith(prefix)).toList();
            assertThat(own).hasSize(1000);
            for (int i = 0; i < 1000; i++) {
                assertThat(own.get(i)).isEqualTo(prefix + "\"n\":" + i + "}");
            }
        }
    }

    @Test
    void linesLoggedWhileTheWriterIsBusyGoOutInOneWrite() {
        start(8192);
        output.holdWrites();
        appender.doAppend(event("first"));
        await().atMost(BOUND).until(output::writing);

        for (int i = 0; i < 100; i++) {
            appender.doAppend(event("line " + i));
        }
        output.release();
        appender.stop();

        assertThat(output.writes()).hasSize(2);
        assertThat(output.writes().get(0)).isEqualTo("first" + System.lineSeparator());
        assertThat(output.writes().get(1).split(System.lineSeparator())).hasSize(100).startsWith("line 0").endsWith("line 99");
    }

    @Test
    void anIdleWriterIsWokenByTheNextLine() {
        start(8192);
        appender.doAppend(event("one"));
        await().atMost(BOUND).until(() -> output.lines().contains("one"));
        await().atMost(BOUND).until(appender::writerIdle);

        appender.doAppend(event("two"));

        await().atMost(BOUND).until(() -> output.lines().equals(List.of("one", "two")));
    }

    @Test
    void aFullQueueDropsLinesWithoutWaitingAndReportsHowMany() {
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        ch.qos.logback.classic.Logger appenderLog =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(BatchingAccessLogAppender.class);
        warnings.start();
        appenderLog.addAppender(warnings);
        try {
            start(10);
            output.holdWrites();
            appender.doAppend(event("first"));
            await().atMost(BOUND).until(output::writing);

            for (int i = 0; i < 25; i++) {
                appender.doAppend(event("line " + i)); // returns at once although nothing is written meanwhile
            }
            output.release();
            appender.stop();

            assertThat(output.lines()).hasSize(11).startsWith("first", "line 0").endsWith("line 9");
            assertThat(warnings.list).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("15 access-log lines dropped: the output did not keep up (queue of 10)");
            assertThat(warnings.list.get(0).getLevel()).isEqualTo(Level.WARN);
        } finally {
            appenderLog.detachAppender(warnings);
        }
    }

    private void start(int queueSize) {
        appender.setContext(context);
        appender.setQueueSize(queueSize);
        appender.start();
    }

    private LoggingEvent event(String message) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLevel(Level.INFO);
        event.setLoggerName("zoneplane.access");
        event.setMessage(message);
        return event;
    }

    /** Records each write call; can hold the writer inside a write until released. */
    private static final class RecordingOutput extends OutputStream {
        private final List<String> writes = new CopyOnWriteArrayList<>();
        private final AtomicBoolean writing = new AtomicBoolean();
        private volatile CountDownLatch gate = new CountDownLatch(0);

        void holdWrites() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        boolean writing() {
            return writing.get();
        }

        List<String> writes() {
            return writes;
        }

        List<String> lines() {
            return writes.stream().flatMap(write -> Arrays.stream(write.split(System.lineSeparator()))).toList();
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            writing.set(true);
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the output");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writes.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
            writing.set(false);
        }
    }
}
