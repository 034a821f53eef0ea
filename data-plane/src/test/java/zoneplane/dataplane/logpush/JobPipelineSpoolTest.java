package zoneplane.dataplane.logpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import zoneplane.dataplane.subscriber.Backoff;
import zoneplane.dataplane.support.LogReceiver;
import zoneplane.dataplane.usage.ExchangeRecord;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.LogpushFilter;
import zoneplane.model.logpush.OutputOptions;
import zoneplane.model.wire.LogpushJobs;
import zoneplane.model.wire.LogpushReport;

/**
 * A job's spool while its destination is down: bounded by size, it drops the oldest batches and counts their
 * records; when the destination is back the newest batches arrive, in order; a refusal for good (400) drops
 * the batch, counted, instead of retrying it forever. The pipeline runs on its own thread, as on a node,
 * with a real {@link HttpDestination} and a real receiver.
 */
class JobPipelineSpoolTest {

    final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
    final LogReceiver receiver = new LogReceiver();
    final LogpushCounters counters = new LogpushCounters();

    @AfterEach
    void stop() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(5, TimeUnit.SECONDS);
        receiver.close();
    }

    static ExchangeRecord record(int n) {
        Instant at = Instant.parse("2026-12-07T12:00:00Z").plusSeconds(n);
        return new ExchangeRecord(ExchangeRecord.Kind.HTTP, "ray" + n, "zone", "a.test", "TST", "192.0.2.1", 1000, "JP",
                "a.test", "GET", "/r/" + n + "?" + "q".repeat(200), "HTTP/1.1", "http", "none", "ua", "", 100, at, at, 1,
                200, 300, 200, "text/plain", "127.0.0.1", "192.0.2.9", 200, 1, true);
    }

    <T> T onThread(Callable<T> task) throws Exception {
        return thread.submit(task).get(10, TimeUnit.SECONDS);
    }

    JobPipeline pipeline(Path dir, long spoolBytes) {
        LogpushJobs.Job job = new LogpushJobs.Job(9, "zone", HttpRequestsField.DATASET, receiver.url("/spool"),
                OutputOptions.defaults(List.of(HttpRequestsField.RAY_ID, HttpRequestsField.CLIENT_REQUEST_URI)),
                LogpushFilter.ALL, 0, 10, 0);
        HttpDestination destination = new HttpDestination(HttpDestinationConf.parse(job.destinationConf()),
                job.outputOptions(), HttpClient.create());
        JobPipeline pipeline = new JobPipeline(job, destination, null,
                new JobSpool(dir, spoolBytes, Duration.ofHours(1), Clock.systemUTC()),
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)), Clock.systemUTC(), thread, counters);
        thread.scheduleWithFixedDelay(pipeline::tick, 20, 20, TimeUnit.MILLISECONDS); // as the node's logpush thread
        return pipeline;
    }

    @Test
    void aFullSpoolDropsTheOldestBatchesCountsThemAndDeliversTheRest() throws Exception {
        Path dir = Files.createTempDirectory("logpush-spool-test");
        receiver.mode(LogReceiver.Mode.DOWN);
        // Each batch of 10 records is about 2.5 kB: a 12 kB spool keeps the newest 4 or 5 of 10.
        JobPipeline pipeline = pipeline(dir, 12_000);
        onThread(() -> {
            IntStream.range(0, 100).forEach(n -> pipeline.offer(record(n)));
            return null;
        });
        LogpushReport.JobOutcome full = onThread(pipeline::outcome);
        assertThat(full.recordsDropped()).isBetween(50L, 60L).matches(n -> n % 10 == 0, "whole batches");
        assertThat(counters.spoolOverflow.get()).isEqualTo(full.recordsDropped());
        assertThat(counters.spoolBytes.get()).isBetween(1L, 12_000L);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.answered() >= 2);
        assertThat(onThread(pipeline::outcome).errorMessage()).isEqualTo("HTTP 503 from 127.0.0.1");

        receiver.mode(LogReceiver.Mode.ACCEPT);
        long kept = 100 - full.recordsDropped();
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.records("/spool").size() == kept);
        assertThat(receiver.records("/spool")).extracting(r -> r.get("RayID"))
                .containsExactlyElementsOf(IntStream.range((int) full.recordsDropped(), 100).mapToObj(n -> "ray" + n).toList());
        await().atMost(Duration.ofSeconds(5)).until(() -> onThread(pipeline::outcome).recordsDelivered() == kept);
        assertThat(onThread(pipeline::outcome).lastError()).isNull();
        assertThat(counters.spoolBytes.get()).isZero();
        onThread(() -> {
            pipeline.close(true);
            return null;
        });
        assertThat(dir).doesNotExist();
    }

    @Test
    void aBatchTheDestinationRefusesForGoodIsDroppedAndCountedNotRetried() throws Exception {
        receiver.mode(LogReceiver.Mode.REFUSE);
        JobPipeline pipeline = pipeline(Files.createTempDirectory("logpush-refused-test"), 1 << 20);
        onThread(() -> {
            IntStream.range(0, 10).forEach(n -> pipeline.offer(record(n)));
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> onThread(pipeline::outcome).recordsDropped() == 10);
        LogpushReport.JobOutcome outcome = onThread(pipeline::outcome);
        assertThat(outcome.errorMessage()).isEqualTo("HTTP 400 from 127.0.0.1");
        assertThat(outcome.recordsDelivered()).isZero();
        assertThat(counters.refused.get()).isEqualTo(10);
        Thread.sleep(300);
        assertThat(receiver.answered()).isEqualTo(1);
        assertThat(onThread(pipeline::settled)).isTrue();
    }
}
