/**
 * Build-time tools of the container image, never part of a running node: {@code CdsTrainingRun} starts a
 * node as the image does so that the JVM writes the AppCDS archive of a real start.
 */
package zoneplane.dataplane.image;
