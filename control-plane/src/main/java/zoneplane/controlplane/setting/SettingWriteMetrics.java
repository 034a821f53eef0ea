package zoneplane.controlplane.setting;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import zoneplane.controlplane.database.GroupCommit;

/**
 * The setting writer's meters: {@code zoneplane.settings.write.batch} (changes per transaction) and
 * {@code zoneplane.settings.write.queued} (changes waiting for the writer).
 */
final class SettingWriteMetrics {

    private final MeterRegistry meters;
    private final DistributionSummary batchSizes;

    SettingWriteMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.batchSizes = DistributionSummary.builder("zoneplane.settings.write.batch")
                .description("Setting changes written per transaction (group commit)")
                .register(meters);
    }

    void batch(int size) {
        batchSizes.record(size);
    }

    /** Gauges the writer's queue; the gauge references {@code commits} weakly, as Micrometer does, so its owner keeps it. */
    void watch(GroupCommit<?, ?> commits) {
        Gauge.builder("zoneplane.settings.write.queued", commits, GroupCommit::queued)
                .description("Setting changes waiting for the writer")
                .register(meters);
    }
}
