/**
 * The answers the edge gives itself instead of the origin's: {@code ErrorAnswer} (a status, a detail and
 * whether the connection must close, including which failure maps to which status) and
 * {@code ErrorPages} (the short HTML page with the ray id, for both visitor paths), plus the exceptions
 * raised into a request when its body cannot be trusted ({@code MalformedBodyException},
 * {@code RequestBodyTimeoutException}). No page reveals internals.
 */
package zoneplane.dataplane.errors;
