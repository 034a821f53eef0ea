/**
 * The zone view the request path reads: {@code ZoneView}, an immutable host → zone map at one revision,
 * and {@code LiveZoneView}, the holder swapped atomically when a newer view arrives. Readers never lock:
 * they read the view once per request and use that instance throughout.
 */
package zoneplane.dataplane.view;
