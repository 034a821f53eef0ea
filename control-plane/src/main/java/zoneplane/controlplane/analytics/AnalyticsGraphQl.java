package zoneplane.controlplane.analytics;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.ParseAndValidate;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.schema.DataFetchingEnvironment;
import graphql.validation.rules.VariableTypesMatch;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.graphql.server.TimeoutWebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.webmvc.GraphQlHttpHandler;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import zoneplane.controlplane.auth.Caller;

/**
 * Wires Cloudflare's GraphQL Analytics API ({@code POST /client/v4/graphql}, also with a trailing
 * slash) into Spring for GraphQL: Cloudflare's scalars, the data fetchers of {@link AnalyticsDatasets},
 * the caller (authenticated by the API's bearer filter like every other request) in the GraphQL
 * context, bounds on depth, complexity and time, and errors in GraphQL's shape with
 * {@code extensions.code} and {@code extensions.timestamp} as Cloudflare's carry.
 *
 * <p>Variables are accepted whatever scalar name they are declared with ({@code $zoneTag: string} as
 * Cloudflare's clients write it, or {@code String}): graphql-java's "variable type matches position"
 * rule is skipped, and each value is still checked by coercion to the declared type and by the
 * fetcher that reads it. Every other validation rule applies.
 */
@Configuration(proxyBeanMethods = false)
class AnalyticsGraphQl {

    static final String PATH = "/graphql";

    private static final Predicate<Class<?>> LENIENT_VARIABLE_TYPES = rule -> rule != VariableTypesMatch.class;

    @Bean
    RuntimeWiringConfigurer analyticsWiring(AnalyticsDatasets datasets) {
        return wiring -> {
            CloudflareScalars.all().forEach(wiring::scalar);
            wiring.type("Query", type -> type.dataFetcher("viewer", datasets.viewer()));
            wiring.type("viewer", type -> type.dataFetcher("zones", datasets.zones()));
            wiring.type("zone", type -> {
                for (Dataset dataset : Dataset.values()) {
                    type.dataFetcher(dataset.field(), datasets.dataset(dataset));
                }
                return type;
            });
        };
    }

    @Bean
    Instrumentation analyticsDepthLimit(AnalyticsProperties properties) {
        return new MaxQueryDepthInstrumentation(properties.maxQueryDepth());
    }

    @Bean
    Instrumentation analyticsComplexityLimit(AnalyticsProperties properties) {
        return new MaxQueryComplexityInstrumentation(properties.maxQueryComplexity());
    }

    @Bean
    WebGraphQlInterceptor analyticsTimeout(AnalyticsProperties properties) {
        return new TimeoutWebGraphQlInterceptor(properties.queryTimeout());
    }

    /** The caller into the GraphQL context; Cloudflare-shaped errors out. */
    @Bean
    WebGraphQlInterceptor analyticsCallerAndErrors() {
        return (request, chain) -> {
            Object caller = request.getAttributes().get(Caller.REQUEST_ATTRIBUTE);
            request.configureExecutionInput((input, builder) -> builder.graphQLContext(context -> {
                if (caller != null) {
                    context.put(AnalyticsDatasets.CALLER, caller);
                }
                context.put(ParseAndValidate.INTERNAL_VALIDATION_PREDICATE_HINT, LENIENT_VARIABLE_TYPES);
            }).build());
            return chain.next(request).map(response -> response.getErrors().isEmpty() ? response
                    : response.transform(builder -> builder.errors(List.<GraphQLError>copyOf(response.getErrors().stream()
                            .map(error -> withCodeAndTimestamp(error.getMessage(), error.getLocations(), error.getParsedPath(),
                                    error.getErrorType(), error.getExtensions()))
                            .toList()))));
        };
    }

    private static GraphQLError withCodeAndTimestamp(String message, List<graphql.language.SourceLocation> locations,
            List<Object> path, ErrorClassification type, Map<String, Object> extensions) {
        Map<String, Object> merged = new LinkedHashMap<>();
        merged.put("code", type == null ? ErrorType.INTERNAL_ERROR.name() : type.toString());
        if (extensions != null) {
            merged.putAll(extensions);
        }
        merged.putIfAbsent("timestamp", Instant.now().toString());
        GraphqlErrorBuilder<?> builder = GraphqlErrorBuilder.newError().message(message).extensions(merged);
        if (locations != null) {
            builder.locations(locations);
        }
        if (path != null) {
            builder.path(path);
        }
        if (type != null) {
            builder.errorType(type);
        }
        return builder.build();
    }

    /** A refused dataset query is an error of that field: its data is null, the query's other fields still answer. */
    @Bean
    DataFetcherExceptionResolver analyticsErrors() {
        return new DataFetcherExceptionResolverAdapter() {
            @Override
            protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
                if (ex instanceof AnalyticsQueryException refused) {
                    return GraphqlErrorBuilder.newError(env).message(refused.getMessage())
                            .errorType(AnalyticsQueryException.FORBIDDEN.equals(refused.code()) ? ErrorType.FORBIDDEN : ErrorType.BAD_REQUEST)
                            .extensions(Map.of("code", refused.code())).build();
                }
                return null;
            }
        };
    }

    /** {@code /graphql/} (Cloudflare accepts the trailing slash) answers as {@code /graphql}. */
    @Bean
    RouterFunction<ServerResponse> analyticsTrailingSlash(GraphQlHttpHandler handler) {
        return RouterFunctions.route().POST(PATH + "/", handler::handleRequest).build();
    }
}
