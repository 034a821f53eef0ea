package zoneplane.controlplane.auth;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the operator's bootstrap token comes from: {@code zoneplane.bootstrap-token}
 * ({@code ZONEPLANE_BOOTSTRAP_TOKEN}) or {@code zoneplane.bootstrap-token-file}
 * ({@code ZONEPLANE_BOOTSTRAP_TOKEN_FILE}, e.g. a mounted Kubernetes secret; trailing whitespace is
 * ignored). Exactly one may be set. There is no default: see {@link BootstrapToken}.
 */
@ConfigurationProperties("zoneplane")
public record BootstrapTokenProperties(String bootstrapToken, Path bootstrapTokenFile) {

    /** Never prints the secret (records would, and configuration objects end up in logs). */
    @Override
    public String toString() {
        return "BootstrapTokenProperties[bootstrapToken=" + (bootstrapToken == null ? "unset" : "<redacted>")
                + ", bootstrapTokenFile=" + bootstrapTokenFile + "]";
    }
}
