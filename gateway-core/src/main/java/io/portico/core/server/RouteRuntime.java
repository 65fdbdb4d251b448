package io.portico.core.server;

import io.portico.core.pipeline.Pipeline;

/**
 * A route ready to serve: everything a request needs, built at configuration load.
 *
 * @param id           the route's id
 * @param pipeline     its filters and terminal
 * @param upstreamName the pool it sends to, for {@code routes} and {@code explain}
 * @param maxBodySize  the request body limit in bytes
 * @param stripPrefix  for display
 * @param rewrite      for display
 * @param directCall   the upstream call when the route has no filters, so the request needs no
 *                     thread of its own; {@code null} otherwise
 * @param meters       its request counts and durations
 */
public record RouteRuntime(String id, Pipeline pipeline, String upstreamName, long maxBodySize, String stripPrefix,
                           String rewrite, io.portico.core.proxy.UpstreamCall directCall,
                           io.portico.core.observe.RouteMeters meters) {
}
