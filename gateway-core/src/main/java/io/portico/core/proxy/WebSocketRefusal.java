package io.portico.core.proxy;

import io.portico.api.Headers;
import io.portico.api.ProblemException;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.websocket.client.JettyUpgradeListener;

/**
 * The headers of an upstream's answer to a WebSocket upgrade that did not switch, for the problem
 * the client gets instead: a 401's {@code WWW-Authenticate}, a 429's {@code Retry-After} or a
 * 403's cookies tell the client what to do next, as nginx, which passes such an answer on whole,
 * lets them. Jetty's WebSocket client reports only the status, as a failure, and keeps no body,
 * so the body stays the gateway's problem document and the headers about the upstream's body
 * ({@code Content-*}) stay behind with it.
 */
final class WebSocketRefusal implements JettyUpgradeListener {
    // written on Jetty's thread, which for a refusal does so before it fails the upgrade's future;
    // read on the exchange's once that future failed
    private volatile Headers answered;

    @Override
    public void onHandshakeResponse(Request request, Response response) {
        if (response.getStatus() == HttpStatus.SWITCHING_PROTOCOLS_101) {
            return;
        }
        Headers.Builder kept = Headers.builder();
        for (HttpField field : response.getHeaders()) {
            String name = field.getName();
            // the gateway's own Date goes out with its problem, as with every answer it makes
            if (!name.regionMatches(true, 0, "Content-", 0, 8) && !name.equalsIgnoreCase("Date")) {
                kept.add(name, field.getValue());
            }
        }
        answered = HopByHop.strip(kept.build());
    }

    /**
     * The problem for the refusal, with the upstream's headers when the problem passes its status
     * on: a 502 for an answer to a plain request describes that answer, not the refusal.
     */
    ProblemException passOn(ProblemException problem, int upstreamStatus) {
        Headers headers = answered;
        if (headers == null || problem.status() != upstreamStatus) {
            return problem;
        }
        ProblemException passed = problem;
        for (int i = 0; i < headers.size(); i++) {
            passed = passed.withHeader(headers.name(i), headers.value(i));
        }
        return passed;
    }
}
