/**
 * The management side of a node: {@code ManagementServer} (liveness, readiness, health details and
 * Prometheus text on the management port) and the meters ({@code EdgeMetrics} with {@code RequestMeter},
 * which counts each request exactly once; origin, JVM and certificate meters).
 */
package zoneplane.dataplane.management;
