/**
 * The node's configuration: {@code DataPlaneConfig}, one validated record of every setting, read from
 * environment variables and JVM properties by {@code DataPlaneConfigLoader}, which reports every problem
 * at once; {@code DataPlaneEndpoints} holds the default ports and management paths the Helm chart is
 * tested against. Depends only on {@code visitor} (IP literals) and the shared model.
 */
package zoneplane.dataplane.config;
