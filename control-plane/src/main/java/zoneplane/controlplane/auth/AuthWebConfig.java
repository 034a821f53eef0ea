package zoneplane.controlplane.auth;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.OpenApiContract;

/**
 * Hands the {@link Caller} to controllers and documents bearer authentication in the OpenAPI
 * document. (The {@link AccessPolicy} is applied by {@link AccessPolicyInterceptor}, registered in
 * {@code pipeline.RequestPipeline}.)
 */
@Configuration(proxyBeanMethods = false)
class AuthWebConfig implements WebMvcConfigurer {

    static final String SCHEME = "api_token";
    static final String NODE_SCHEME = "node_token";
    private static final String INTERNAL = "/internal/";
    private static final String VERIFY = "/user/tokens/verify";

    private final AccessPolicy policy;

    AuthWebConfig(AccessPolicy policy) {
        this.policy = policy;
    }

    static {
        // The caller is the request's identity, not a parameter: keep it out of the OpenAPI document.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CallerArgumentResolver());
    }

    /**
     * The two credentials of the document: API tokens (and the operator's bootstrap token) on the
     * API, the shared node token on {@code /internal/**}; and on every operation the answers its
     * credential checks can give, with Cloudflare's codes and an example each.
     */
    @Bean
    OpenApiCustomizer bearerAuthentication() {
        return api -> {
            if (api.getComponents() == null) {
                api.setComponents(new Components());
            }
            api.getComponents().addSecuritySchemes(SCHEME, new SecurityScheme()
                    .type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .description("An API token (POST /accounts/{account_id}/tokens) or the operator's bootstrap token. "
                            + "None sent: 400, code 9106. Not `Bearer <token>`: 400, code 6003 with error_chain 6111. "
                            + "Unknown, revoked or expired: 401, code 10000 (1000 \"Invalid API Token\" on /user/tokens/verify). "
                            + "Lacking the permission: 403, code 10000 (an operator-only operation: 403, code 9109). Another account's resources answer 404, as if they did not exist."));
            api.getComponents().addSecuritySchemes(NODE_SCHEME, new SecurityScheme()
                    .type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .description("The shared node token (ZONEPLANE_NODE_TOKEN) data-plane nodes present on /internal/**. "
                            + "Missing or wrong: 401, code 10000."));
            api.addSecurityItem(new SecurityRequirement().addList(SCHEME));
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                if (path.startsWith(INTERNAL)) {
                    operation.setSecurity(List.of(new SecurityRequirement().addList(NODE_SCHEME)));
                    OpenApiContract.addErrors(operation, 401, "Missing or wrong node token", List.of(ApiErrorCode.AUTHENTICATION_ERROR));
                    return;
                }
                OpenApiContract.addErrors(operation, 400, "Bad request",
                        List.of(ApiErrorCode.MISSING_CREDENTIALS, ApiErrorCode.INVALID_REQUEST_HEADERS));
                OpenApiContract.addErrors(operation, 401, "Unknown, revoked or expired API token",
                        List.of(path.equals(VERIFY) ? ApiErrorCode.INVALID_API_TOKEN : ApiErrorCode.AUTHENTICATION_ERROR));
                if (policy.mayForbid(method.name(), path)) {
                    OpenApiContract.addErrors(operation, 403, "The token lacks the permission (or is not the operator's)",
                            List.of(ApiErrorCode.PERMISSION_DENIED, ApiErrorCode.FORBIDDEN));
                }
                OpenApiContract.addErrors(operation, 429, "Rate limited: retry after Retry-After seconds", List.of(ApiErrorCode.RATE_LIMITED));
                OpenApiContract.addErrors(operation, 503, "The database cannot be reached: retry after Retry-After seconds",
                        List.of(ApiErrorCode.DATABASE_UNAVAILABLE));
            }));
        };
    }
}
