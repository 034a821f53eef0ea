package zoneplane.controlplane.api;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadFeature;

/**
 * Request bodies with a repeated key ({@code {"value":"on","value":"off"}}) are malformed (400,
 * code 6007) instead of silently meaning the last one: a client that sends two values for one field
 * has a bug we should report, not guess about. (A stream-level feature, so not settable by property.)
 */
@Configuration(proxyBeanMethods = false)
class StrictJson {

    @Bean
    JsonMapperBuilderCustomizer strictDuplicateDetection() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }
}
