/**
 * Browser fixtures for the console's tests: one headless Chromium per test class through Selenium and
 * Debian's chromedriver (never downloaded at run time), a page model of the console ({@code Console}) and
 * axe-core accessibility audits. It may depend on {@code zoneplane.testing} (database and control plane),
 * Selenium, axe-core and JUnit 5.
 */
package zoneplane.testing.dashboard;
