package zoneplane.helm;

import com.zaxxer.hikari.metrics.PoolStats;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus metric names the control plane and the data plane export, as their scrapes spell
 * them.
 *
 * <p>Zoneplane's own meters are read from the main sources of both applications (every
 * {@code Counter/Gauge/Timer/DistributionSummary/MultiGauge.builder("name")} call, with its base unit
 * and histogram option), registered with a real {@link PrometheusMeterRegistry} and scraped, so the
 * suffixes ({@code _total}, {@code _seconds}, {@code _bucket}) are Micrometer's own naming, not a
 * copy of it. A renamed meter changes this set, and a dashboard still using the old name fails.
 *
 * <p>The library meters the dashboards use come from the same libraries the applications bind:
 * Micrometer's JVM memory and processor binders, HikariCP's Micrometer tracker (the control plane's
 * pool), and Spring's {@code http.server.requests} timer with the histogram buckets
 * application.yaml gives it. A meter with buckets (a percentile histogram or service-level objectives)
 * exports {@code _bucket}.
 */
final class ExportedMetrics {

    private static final List<Path> MAIN_SOURCES =
            List.of(Path.of("..", "control-plane", "src", "main", "java"), Path.of("..", "data-plane", "src", "main", "java"));
    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Counter|Gauge|Timer|DistributionSummary|MultiGauge)\\.builder\\(\\s*\"([a-z0-9._]+)\"");
    private static final Pattern BASE_UNIT = Pattern.compile("\\.baseUnit\\(\\s*\"([a-z]+)\"");
    private static Set<String> names;

    private ExportedMetrics() {}

    /** Every sample name a scrape of either application can carry. */
    static synchronized Set<String> names() {
        if (names == null) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            int zoneplaneMeters = 0;
            for (Path root : MAIN_SOURCES) {
                zoneplaneMeters += registerMetersDeclaredUnder(root, registry);
            }
            if (zoneplaneMeters < 10) {
                throw new IllegalStateException("found only " + zoneplaneMeters + " meter declarations under "
                        + MAIN_SOURCES + ": has the way meters are declared changed?");
            }
            registerLibraryMeters(registry);
            Set<String> scraped = new TreeSet<>();
            for (String line : registry.scrape().split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    scraped.add(line.split("[{ ]", 2)[0]);
                }
            }
            names = Set.copyOf(scraped);
        }
        return names;
    }

    private static int registerMetersDeclaredUnder(Path root, PrometheusMeterRegistry registry) {
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("no main sources at " + root.toAbsolutePath());
        }
        int count = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String source = Files.readString(file);
                Matcher builder = BUILDER.matcher(source);
                while (builder.find()) {
                    int end = source.indexOf(".register(", builder.end());
                    String chain = source.substring(builder.end(), end < 0 ? source.length() : end);
                    Matcher unit = BASE_UNIT.matcher(chain);
                    register(registry, builder.group(1), builder.group(2), unit.find() ? unit.group(1) : null,
                            chain.contains("publishPercentileHistogram") || chain.contains("serviceLevelObjectives"));
                    count++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    private static void register(PrometheusMeterRegistry registry, String type, String name, String baseUnit,
            boolean histogram) {
        switch (type) {
            case "Counter" -> Counter.builder(name).baseUnit(baseUnit).register(registry);
            case "Gauge", "MultiGauge" -> Gauge.builder(name, () -> 0).baseUnit(baseUnit).register(registry);
            case "Timer" -> Timer.builder(name).publishPercentileHistogram(histogram).register(registry);
            case "DistributionSummary" ->
                DistributionSummary.builder(name).baseUnit(baseUnit).publishPercentileHistogram(histogram)
                        .register(registry);
            default -> throw new IllegalStateException("unknown meter type " + type);
        }
    }

    private static void registerLibraryMeters(PrometheusMeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new MicrometerMetricsTrackerFactory(registry).create("HikariPool-1", new PoolStats(0) {
            @Override
            protected void update() {
                // A pool with nothing in it: only the meter names matter here.
            }
        });
        Timer.builder("http.server.requests").publishPercentileHistogram().register(registry);
    }
}
