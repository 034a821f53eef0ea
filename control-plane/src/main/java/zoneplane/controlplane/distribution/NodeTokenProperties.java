package zoneplane.controlplane.distribution;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The shared secret data-plane nodes present on {@code /internal/**}: {@code zoneplane.node-token}
 * ({@code ZONEPLANE_NODE_TOKEN}). Empty means distribution is closed: every node request gets 401.
 */
@ConfigurationProperties("zoneplane")
public record NodeTokenProperties(@DefaultValue("") String nodeToken) {

    public boolean configured() {
        return nodeToken != null && !nodeToken.isBlank();
    }

    @Override
    public String toString() {
        return "NodeTokenProperties{nodeToken=" + (configured() ? "<redacted>" : "<unset>") + "}";
    }
}
