/**
 * The database and its failure modes: the embedded PostgreSQL for local runs, the gated DataSource
 * and availability probe (an outage answers 503, never hangs), array parameters, after-commit hooks,
 * LISTEN/NOTIFY, and the generic group-commit batcher and outage-tolerant transaction that writers
 * build on. Knows no feature.
 */
package zoneplane.controlplane.database;
