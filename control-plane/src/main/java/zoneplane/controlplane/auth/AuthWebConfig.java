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
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Hands the {@link Caller} to controllers, applies the {@link AccessPolicy} before each controller
 * call, and documents bearer authentication in the OpenAPI document.
 */
@Configuration(proxyBeanMethods = false)
class AuthWebConfig implements WebMvcConfigurer {

    static final String SCHEME = "api_token";

    private final AccessPolicy policy;

    AuthWebConfig(AccessPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AccessPolicyInterceptor(policy));
    }

    static {
        // The caller is the request's identity, not a parameter: keep it out of the OpenAPI document.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CallerArgumentResolver());
    }

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
                            + "Missing or invalid: 401, code 10000. Lacking the permission: 403, code 9109. "
                            + "Another account's resources answer 404, as if they did not exist."));
            api.addSecurityItem(new SecurityRequirement().addList(SCHEME));
        };
    }
}
