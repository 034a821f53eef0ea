package zoneplane.controlplane.api;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import zoneplane.controlplane.ControlPlaneEndpoints;

/** Serves springdoc's document (at its own {@code /v3/api-docs}) also at the documented {@code /openapi.json}. */
@Controller
@Hidden
class OpenApiDocumentController {

    @GetMapping(ControlPlaneEndpoints.OPENAPI_PATH)
    String openApiJson() {
        return "forward:/v3/api-docs";
    }
}
