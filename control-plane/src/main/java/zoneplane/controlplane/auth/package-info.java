/**
 * Who the caller is and what it may do: bearer API tokens and the operator's bootstrap token, the
 * access-policy table (endpoint → permission) applied before every controller, CORS, hardening
 * headers and the guards that refuse malformed requests before they reach any feature. The order in
 * which these run is {@code pipeline.RequestPipeline}'s.
 */
package zoneplane.controlplane.auth;
