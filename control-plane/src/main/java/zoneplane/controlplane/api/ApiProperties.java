package zoneplane.controlplane.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP-level settings of the API.
 *
 * @param maxBodySize largest request body accepted ({@code ZONEPLANE_API_MAX_BODY_SIZE}, default 64KB);
 *     larger ones get 413 with code 9413
 */
@ConfigurationProperties("zoneplane.api")
public record ApiProperties(@DefaultValue("64KB") DataSize maxBodySize) {

    public ApiProperties {
        if (maxBodySize.toBytes() <= 0) {
            throw new IllegalArgumentException("zoneplane.api.max-body-size must be positive");
        }
    }
}
