/**
 * A data-plane node's entry point and wiring: {@code DataPlaneMain} loads the configuration, the first
 * zone view and the geolocation inputs, and {@code DataPlaneNode} binds the listeners and builds the
 * request path from the packages below it (and is the only class that knows them all). Nothing else
 * imports this package; every other package of the data plane is a piece this one puts together.
 */
package zoneplane.dataplane;
