/**
 * The node's logs: {@code NodeLogging} (plain text or ECS JSON for the node's own lines),
 * {@code JsonAccessLog} (one JSON line per answered request, {@code ZONEPLANE_ACCESS_LOG=json}) and
 * {@code BatchingAccessLogAppender}, which writes those lines to stdout in batches from one thread, so
 * the event loop only appends to a lock-free queue. Configured in code, not by a {@code logback.xml}.
 */
package zoneplane.dataplane.logging;
