/**
 * Upstream pools: the targets behind a route, how one is chosen for a request, and how their
 * health is tracked.
 *
 * <p>An {@link io.portico.core.upstream.Upstream} is built once per configuration snapshot from an
 * {@link io.portico.core.upstream.UpstreamSpec}. The proxy asks it for a target with
 * {@link io.portico.core.upstream.Upstream#select select}, then reports the attempt with
 * {@code onStart} and exactly one of {@code onSuccess}, {@code onFailure} or {@code onCancel}.
 * A target is available when its active health check (if any) says healthy and passive outlier
 * detection has not ejected it.
 *
 * <p>Everything here is thread-safe. Time comes from an injected {@link java.time.Clock}; the
 * active checks run on a scheduler the caller owns.
 */
package io.portico.core.upstream;
