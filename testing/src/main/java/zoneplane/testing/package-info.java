/**
 * Shared test fixtures, real and bounded: the suite's PostgreSQL ({@code TestDatabase}, a restartable
 * {@code StandalonePostgres}), an embedded control plane on a loopback port, an in-process data-plane
 * node, a recording origin, a faulty TCP relay, a small API client and envelope assertions. Test code of
 * {@code control-plane} and {@code system-tests} may depend on it; it may depend on {@code shared-model},
 * the data plane's public configuration and view types, Spring Boot (provided: the control-plane
 * application is loaded by name from the caller's class path) and test libraries (AssertJ, embedded
 * PostgreSQL, Testcontainers), never on another module's test classes.
 */
package zoneplane.testing;
