/**
 * {@code EchoOrigin}, a demo origin that answers every request with the headers it received, for trying a
 * node locally and for the image's training run. Not used by a running node.
 */
package zoneplane.dataplane.demo;
