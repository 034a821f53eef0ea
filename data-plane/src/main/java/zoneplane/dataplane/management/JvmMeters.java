package zoneplane.dataplane.management;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The JVM's own meters on the node's {@code /metrics} (heap and non-heap by pool, GC pauses, threads,
 * CPU, uptime), named as Spring Boot's Actuator names them, so one dashboard reads both planes, with
 * the control plane's two corrections for {@code promtool check metrics}, made by the registry
 * {@link #newRegistry()} builds.
 */
public final class JvmMeters implements AutoCloseable {

    private final JvmGcMetrics gc = new JvmGcMetrics();

    private JvmMeters() {}

    /**
     * The node's registry, with the control plane's corrections for {@code promtool check metrics}
     * (control plane {@code monitoring/PrometheusHygiene}) in place before any meter registers: no
     * {@code process_cpu_time_ns_total} (an abbreviated unit; {@code process_cpu_usage} stays) and
     * {@code system.cpu.count} as {@code system_cpus} (a gauge ending in {@code _count} reads as half of
     * a histogram).
     */
    public static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
                    }
                });
        return registry;
    }

    public static JvmMeters bindTo(MeterRegistry registry) {
        JvmMeters meters = new JvmMeters();
        new JvmMemoryMetrics().bindTo(registry);
        meters.gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return meters;
    }

    /** Stops listening to GC notifications. */
    @Override
    public void close() {
        gc.close();
    }
}
