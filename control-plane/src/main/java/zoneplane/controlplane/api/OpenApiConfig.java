package zoneplane.controlplane.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
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
            `{"success":bool,"errors":[{"code":int,"message":str}],"messages":[{"code":int,"message":str}],"result":…}`; \
            an error may carry Cloudflare's `error_chain` of more specific errors (same shape); \
            lists add `"result_info":{"page","per_page","count","total_count","total_pages"}` \
            (`page` from 1, `per_page` 1–50, default 20).

            **Bodies.** JSON only: a request body needs `Content-Type: application/json` (else 415), \
            must be a JSON object (else 400) of at most `zoneplane.api.max-body-size` bytes (default \
            64 KiB, else 413). Unknown fields are refused with 400 naming the field.

            **Requests.** A query string must decode (every `%` a `%XX` escape, UTF-8, named \
            parameters; `+` is a space) or the answer is 400, code 1003. A `Content-Type` must name one \
            media type (no wildcard). HTTP/0.9 is refused (400, code 9400), `CONNECT` and any \
            `Transfer-Encoding` but `chunked` get 501 (code 9501) saying which. API endpoints answer \
            JSON whatever `Accept` says.

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
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
                .servers(List.of(
                        new Server().url("/").description("root"),
                        new Server().url(ControlPlaneEndpoints.CLOUDFLARE_PREFIX).description("Cloudflare SDK base path")));
    }

    /**
     * Every operation documents its failures as the same envelope: {@code success:false}, one error
     * whose code is a row of the table in the description.
     */
    @Bean
    OpenApiCustomizer errorEnvelopeResponses() {
        return openApi -> {
            Schema<?> message = new ObjectSchema()
                    .addProperty("code", new IntegerSchema())
                    .addProperty("message", new StringSchema());
            Schema<?> error = new ObjectSchema()
                    .addProperty("code", new IntegerSchema())
                    .addProperty("message", new StringSchema())
                    .addProperty("error_chain", new ArraySchema().items(message));
            Schema<?> envelope = new ObjectSchema()
                    .addProperty("success", new BooleanSchema()._default(false))
                    .addProperty("errors", new ArraySchema().items(error))
                    .addProperty("messages", new ArraySchema().items(message))
                    .addProperty("result", new Schema<>().description("null on failures"));
            openApi.getComponents().addSchemas("ErrorEnvelope", envelope);
            ApiResponse failure = new ApiResponse()
                    .description("Failure: the envelope with success=false and one error; see the error-code table")
                    .content(new Content().addMediaType("application/json",
                            new MediaType().schema(new Schema<>().$ref("#/components/schemas/ErrorEnvelope"))));
            openApi.getPaths().values().forEach(path -> path.readOperations()
                    .forEach(operation -> operation.getResponses().addApiResponse("default", failure)));
        };
    }
}
