/**
 * What both planes agree on about Logpush: the {@code http_requests} dataset's fields and their types,
 * the filter language ({@code LogpushFilter}, its operators) and how records are written
 * ({@code OutputOptions}, timestamp formats). Plain immutable values, parsed and validated when built;
 * it may depend only on the JDK, jackson-core and {@code zoneplane.model.wire}.
 */
package zoneplane.model.logpush;
