package zoneplane.controlplane.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import zoneplane.controlplane.ControlPlaneEndpoints;

/**
 * The OpenAPI 3 document (springdoc; served at {@code /openapi.json}, Swagger UI at
 * {@code /swagger-ui.html}). Its description carries the envelope contract and the full error-code
 * table, generated from {@link ApiErrorCode}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static final String DESCRIPTION = """
            Cloudflare-compatible zone settings API. Every path is served at `/` and identically \
            under `/client/v4`, so the official Cloudflare SDKs work with their base URL pointed at \
            `http://<host>:8080/client/v4`.

            **Envelope.** Every answer, success or failure, is \
            `{"success":bool,"errors":[{"code":int,"message":str}],"messages":[],"result":…}`; \
            lists add `"result_info":{"page","per_page","count","total_count","total_pages"}` \
            (`page` from 1, `per_page` 1–50, default 20).

            **Bodies.** JSON only: a request body needs `Content-Type: application/json` (else 415), \
            must be a JSON object (else 400) of at most `zoneplane.api.max-body-size` bytes (default \
            64 KiB, else 413). Unknown fields are refused with 400 naming the field.

            **Revisions.** Every accepted change creates one config revision and answers with \
            `Zoneplane-Revision: <n>`. A PATCH that changes nothing (the value is already in effect) \
            creates no revision and answers **without** that header.

            **Timestamps** are RFC 3339 UTC with microseconds (`2026-11-23T10:00:00.123456Z`).

            **Error codes.**

            """;

    @Bean
    OpenAPI zoneplaneOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Zoneplane control plane API")
                        .version("v4")
                        .description(DESCRIPTION + ApiErrorCode.markdownTable())
                        .license(new License().name("Apache-2.0")))
                .servers(List.of(
                        new Server().url("/").description("root"),
                        new Server().url(ControlPlaneEndpoints.CLOUDFLARE_PREFIX).description("Cloudflare SDK base path")));
    }
}
