package zoneplane.controlplane.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an embedded PostgreSQL (io.zonky) when no database is configured, so that the README's
 * local run needs nothing installed. It keeps its data in {@code zoneplane.data-dir}
 * ({@code ./.zoneplane/postgres} by default), so a restart finds the same zones. A configured
 * database ({@code ZONEPLANE_DATABASE_URL} or {@code spring.datasource.url}) is always used as is.
 *
 * <p>The embedded database shares the JVM's CPUs, so the connection pool defaults to
 * {@code 2 x CPUs + 1} (HikariCP's rule of thumb) instead of 20: more connections only queue inside
 * PostgreSQL's lock manager and the scheduler (measured with the PATCH bench: {@code bench/README.md},
 * "Figures behind the code"). {@code ZONEPLANE_DATABASE_POOL_SIZE} still wins.
 *
 * <p>The database belongs to the application context: it stops after the context's other beans
 * (the connection pool first), when the context closes, or when start-up fails.
 *
 * <p>Registered from {@code main} only: tests configure their own database.
 */
public final class EmbeddedPostgresLauncher implements ApplicationListener<SpringApplicationEvent> {

    static final String POOL_SIZE = "zoneplane.database.pool-size";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresLauncher.class);

    /** Started but not yet handed to a context (which then stops it), else null. */
    private EmbeddedPostgres unowned;

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            onEnvironment(prepared.getEnvironment());
        } else if (event instanceof ApplicationPreparedEvent contextReady && unowned != null) {
            // Registered before any bean exists, so destroyed after all of them (reverse order).
            EmbeddedPostgres postgres = unowned;
            unowned = null;
            ((DefaultSingletonBeanRegistry) contextReady.getApplicationContext().getBeanFactory())
                    .registerDisposableBean("embeddedPostgres", () -> close(postgres));
        } else if (event instanceof ApplicationFailedEvent && unowned != null) {
            close(unowned);
            unowned = null;
        }
    }

    private void onEnvironment(ConfigurableEnvironment env) {
        String configured = env.getProperty("spring.datasource.url", "");
        if (!configured.isBlank()) {
            return;
        }
        Path dataDir = Path.of(env.getProperty("zoneplane.data-dir", ".zoneplane")).resolve("postgres").toAbsolutePath();
        unowned = start(dataDir);
        String url = unowned.getJdbcUrl("postgres", "postgres");
        log.warn("No ZONEPLANE_DATABASE_URL set: using embedded PostgreSQL in {} (for local use only)", dataDir);
        Map<String, Object> properties = new HashMap<>(Map.of(
                "spring.datasource.url", url,
                "spring.datasource.username", "postgres",
                "spring.datasource.password", ""));
        if (!env.containsProperty(POOL_SIZE)) {
            properties.put(POOL_SIZE, 2 * Runtime.getRuntime().availableProcessors() + 1);
        }
        env.getPropertySources().addFirst(new MapPropertySource("embeddedPostgres", properties));
    }

    private static EmbeddedPostgres start(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            return EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDir, e);
        }
    }

    private static void close(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
