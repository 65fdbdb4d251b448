package io.portico.plugins.auth;

import io.portico.api.Authentication;
import io.portico.api.Consumer;
import io.portico.api.Exchange;
import io.portico.api.FilterChain;
import io.portico.api.GatewayFilter;
import io.portico.api.ProblemException;
import io.portico.api.Request;
import io.portico.api.Response;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Checks {@code Authorization: Basic}. A blocking filter: verifying a password is slow on purpose
 * (bcrypt, PBKDF2), and must not hold a thread that serves other connections.
 */
final class BasicAuthFilter implements GatewayFilter {
    private static final String SCHEME = "basic ";

    private final Passwords passwords;
    private final VerifiedPasswords verified;
    private final boolean remember;
    private final boolean keepCredential;
    private final Authentication authentication;
    private final String challenge;

    BasicAuthFilter(BasicAuthFactory.Config config, Passwords passwords, VerifiedPasswords verified,
                    Authentication authentication) {
        this.passwords = passwords;
        this.verified = verified;
        this.remember = !config.cacheTtl().isZero();
        this.keepCredential = config.keepCredential();
        this.authentication = authentication;
        this.challenge = "Basic realm=\"" + config.realm() + "\", charset=\"UTF-8\"";
    }

    @Override
    public Response filter(Exchange exchange, FilterChain chain) throws Exception {
        if (Authentication.settled(exchange)) {
            return chain.proceed(exchange);
        }
        Request request = exchange.request();
        String authorization = request.header("Authorization");
        // another scheme (a Bearer token) belongs to another filter on the route
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            Exchange anonymous = authentication.withoutCredential(exchange);
            if (anonymous == null) {
                throw unauthorized("CREDENTIAL_MISSING", "no Basic credentials in the Authorization header");
            }
            return chain.proceed(anonymous);
        }
        Consumer consumer = verify(authorization.substring(SCHEME.length()).trim());
        if (consumer == null) {
            throw unauthorized("CREDENTIAL_INVALID", "the user name or password is not valid");
        }
        Request forwarded = keepCredential ? request : request.withHeaders(request.headers().without("Authorization"));
        return chain.proceed(authentication.authenticated(exchange, forwarded, consumer));
    }

    private Consumer verify(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String username = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        ByteBuffer key = remember ? verified.key(username, password) : null;
        Consumer consumer = key == null ? null : verified.get(key);
        if (consumer == null) {
            consumer = passwords.verify(username, password);
            if (consumer != null && key != null) {
                verified.remember(key, consumer);
            }
        }
        return consumer;
    }

    private ProblemException unauthorized(String key, String detail) {
        return new ProblemException(401, key, "Unauthorized", detail).withHeader("WWW-Authenticate", challenge);
    }
}
