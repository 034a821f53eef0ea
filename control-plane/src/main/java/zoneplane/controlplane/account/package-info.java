/**
 * Accounts (tenants) and the caller's scope: which accounts and zones a request may see. The scope is
 * resolved from the authenticated caller and handed to controllers as a parameter, so every query is
 * scoped by construction and another account's resources answer 404, as if they did not exist.
 */
package zoneplane.controlplane.account;
