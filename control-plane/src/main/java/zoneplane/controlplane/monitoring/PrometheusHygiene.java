package zoneplane.controlplane.monitoring;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What {@code /actuator/prometheus} exposes beyond Zoneplane's own meters, made to pass
 * {@code promtool check metrics} (README, Operations, "Metrics"):
 * <ul>
 *   <li>Spring's observation meters (HTTP server requests, scheduled tasks) get the help text Spring does
 *       not give them;</li>
 *   <li>{@code jvm.compilation.time} (milliseconds, named {@code _ms_total}) and {@code process.cpu.time}
 *       (nanoseconds, {@code _ns_total}) are dropped: Micrometer names them after abbreviated units, and
 *       {@code process_cpu_usage} and the GC meters answer the same questions;</li>
 *   <li>{@code system.cpu.count} becomes {@code system.cpus}: a gauge ending in {@code _count} reads as
 *       half of a histogram.</li>
 * </ul>
 * The edge applies the same rules to its JVM meters (data plane {@code management/JvmMeters}).
 */
@Configuration(proxyBeanMethods = false)
public class PrometheusHygiene {

    static final Map<String, String> DESCRIPTIONS = Map.of(
            "http.server.requests", "HTTP requests the API answered, by method, route template, status and outcome",
            "http.server.requests.active", "HTTP requests the API is handling now",
            "tasks.scheduled.execution", "Runs of the control plane's scheduled tasks (compaction, bucket cleanup, node sweeps)",
            "tasks.scheduled.execution.active", "Scheduled tasks running now");

    @Bean
    MeterFilter prometheusNamingFilter() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return switch (id.getName()) {
                    case "jvm.compilation.time", "process.cpu.time" -> MeterFilterReply.DENY;
                    default -> MeterFilterReply.NEUTRAL;
                };
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().equals("system.cpu.count")) {
                    return id.withName("system.cpus");
                }
                String description = DESCRIPTIONS.get(id.getName());
                if (description != null && id.getDescription() == null) {
                    return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description,
                            id.getType());
                }
                return id;
            }
        };
    }
}
