package zoneplane.controlplane.analytics;

import graphql.GraphQLContext;
import graphql.Scalars;
import graphql.execution.CoercedVariables;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * The scalars of Cloudflare's analytics schema: {@code string}, {@code int}, {@code bool},
 * {@code float32}/{@code float64} behave as GraphQL's built-ins; {@code uint64}, {@code uint32},
 * {@code uint16} are non-negative integers (as JSON numbers); {@code Time} is an RFC 3339 instant
 * and {@code Date} a calendar date, both checked on input and written in UTC.
 */
final class CloudflareScalars {

    private CloudflareScalars() {}

    static List<GraphQLScalarType> all() {
        return List.of(
                renamed(Scalars.GraphQLString, "string"),
                renamed(Scalars.GraphQLInt, "int"),
                renamed(Scalars.GraphQLBoolean, "bool"),
                renamed(Scalars.GraphQLFloat, "float32"),
                renamed(Scalars.GraphQLFloat, "float64"),
                unsigned("uint64", BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE)),
                unsigned("uint32", BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE)),
                unsigned("uint16", BigInteger.valueOf(65_535)),
                textual("Time", "an RFC 3339 time such as 2026-12-07T14:05:00Z", text -> DatasetFilter.instant(text, "Time")),
                textual("Date", "a date such as 2026-12-07", text -> DatasetFilter.date(text, "Date")));
    }

    private static GraphQLScalarType renamed(GraphQLScalarType builtIn, String name) {
        return GraphQLScalarType.newScalar(builtIn).name(name).description(builtIn.getDescription()).build();
    }

    private static GraphQLScalarType unsigned(String name, BigInteger max) {
        return GraphQLScalarType.newScalar().name(name).description("A non-negative integer up to " + max)
                .coercing(new Coercing<Long, Long>() {
                    @Override
                    public Long serialize(Object value, GraphQLContext context, Locale locale) {
                        if (value instanceof Number n) {
                            return n.longValue();
                        }
                        throw new CoercingSerializeException(name + ": not a number: " + value);
                    }

                    @Override
                    public Long parseValue(Object input, GraphQLContext context, Locale locale) {
                        BigInteger v;
                        if (input instanceof Number n && !(input instanceof Double || input instanceof Float)) {
                            v = new BigInteger(n.toString());
                        } else if (input instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                            v = BigInteger.valueOf(n.longValue());
                        } else {
                            throw new CoercingParseValueException(name + ": expected an integer, got " + input);
                        }
                        return check(v);
                    }

                    @Override
                    public Long parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
                        if (input instanceof IntValue i) {
                            return check(i.getValue());
                        }
                        throw new CoercingParseLiteralException(name + ": expected an integer literal");
                    }

                    private Long check(BigInteger v) {
                        if (v.signum() < 0 || v.compareTo(max) > 0) {
                            throw new CoercingParseValueException(name + ": out of range: " + v);
                        }
                        return v.longValue();
                    }
                }).build();
    }

    private static GraphQLScalarType textual(String name, String description, java.util.function.Function<String, Object> parse) {
        return GraphQLScalarType.newScalar().name(name).description(description).coercing(new Coercing<Object, String>() {
            @Override
            public String serialize(Object value, GraphQLContext context, Locale locale) {
                if (value instanceof Instant || value instanceof LocalDate || value instanceof String) {
                    return value.toString();
                }
                throw new CoercingSerializeException(name + ": cannot write " + value);
            }

            @Override
            public Object parseValue(Object input, GraphQLContext context, Locale locale) {
                if (!(input instanceof String text)) {
                    throw new CoercingParseValueException(name + ": expected " + description);
                }
                return parsed(text, CoercingParseValueException::new);
            }

            @Override
            public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
                if (!(input instanceof StringValue s)) {
                    throw new CoercingParseLiteralException(name + ": expected " + description);
                }
                return parsed(s.getValue(), CoercingParseLiteralException::new);
            }

            private Object parsed(String text, java.util.function.Function<String, RuntimeException> failure) {
                try {
                    return parse.apply(text);
                } catch (AnalyticsQueryException e) {
                    throw failure.apply(name + ": expected " + description + ", got " + text);
                }
            }
        }).build();
    }
}
