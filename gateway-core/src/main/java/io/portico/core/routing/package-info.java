/**
 * Request routing: {@link io.portico.core.routing.Router} compiles the configured
 * {@link io.portico.core.routing.RouteSpec}s once per configuration into segment tries indexed by
 * host, and matches each request against them; {@link io.portico.core.routing.PathRewrite} turns
 * the matched path into the upstream path. Everything else in the package is package-private.
 */
package io.portico.core.routing;
