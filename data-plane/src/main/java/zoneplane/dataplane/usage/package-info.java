/**
 * The edge's per-exchange hook and its first listener, usage accounting: each request path opens an
 * {@code ExchangeTrace}, the finished {@code ExchangeRecord} is counted per event loop, zone and minute
 * without locks, and closed minutes are spooled on disk and shipped to the control plane as
 * {@code UsageReport}s. It may depend on {@code shared-model} (the wire report), {@code geo} (the
 * visitor's country), Netty/Reactor Netty, Micrometer and Apache DataSketches; the request paths depend
 * on it only through {@code ExchangeHook} and {@code ExchangeTrace}.
 */
package zoneplane.dataplane.usage;
