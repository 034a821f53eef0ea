package zoneplane.controlplane.zone;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.OpenApiContract;

/** The zone operations' own answers in the OpenAPI document: a prohibited origin (400, 9003). */
@Configuration(proxyBeanMethods = false)
class ZoneOpenApi {

    @Bean
    OpenApiCustomizer zoneOriginErrors() {
        return api -> {
            if (api.getPaths() == null) {
                return;
            }
            for (String path : List.of("/zones", "/zones/{zone_id}")) {
                PathItem item = api.getPaths().get(path);
                Operation operation = item == null ? null : path.equals("/zones") ? item.getPost() : item.getPatch();
                if (operation != null) {
                    OpenApiContract.addErrors(operation, 400, "Bad request", List.of(ApiErrorCode.PROHIBITED_ORIGIN));
                }
            }
        };
    }
}
