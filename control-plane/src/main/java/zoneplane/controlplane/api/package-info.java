/**
 * The API's shape, shared by every feature: Cloudflare's envelope, error codes and the one exception
 * hierarchy mapped to it ({@code ApiExceptionHandler}), answers of changes with their revision header,
 * strict JSON bodies, path identifiers, the {@code /client/v4} prefix and body limit, the envelope for
 * errors raised in filters and by the servlet container, and the OpenAPI document and its contract.
 * Features depend on it; it depends on no feature.
 */
package zoneplane.controlplane.api;
