package io.portico.plugins.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The checks on a verified token's claims: expiry, not-before and issued-at within the clock
 * skew, an audience the route accepts, and the claims the route requires.
 */
final class ClaimRules {
    private final Clock clock;
    private final long skewMillis;
    private final boolean requireExpiry;
    private final List<String> required;

    ClaimRules(Clock clock, long skewMillis, boolean requireExpiry, List<String> required) {
        this.clock = clock;
        this.skewMillis = skewMillis;
        this.requireExpiry = requireExpiry;
        this.required = List.copyOf(required);
    }

    /** Why the token is refused, or {@code null} when its claims pass. */
    String problem(JWTClaimsSet claims, Set<String> audiences) {
        long now = clock.millis();
        Date expiry = claims.getExpirationTime();
        if (expiry == null && requireExpiry) {
            return "the token has no expiry (exp)";
        }
        if (expiry != null && now - skewMillis >= expiry.getTime()) {
            return "the token has expired";
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now + skewMillis < notBefore.getTime()) {
            return "the token is not valid yet (nbf)";
        }
        Date issued = claims.getIssueTime();
        if (issued != null && now + skewMillis < issued.getTime()) {
            return "the token is issued in the future (iat)";
        }
        if (!audiences.isEmpty()) {
            List<String> tokenAudiences = claims.getAudience();
            if (tokenAudiences == null || tokenAudiences.stream().noneMatch(audiences::contains)) {
                return "the token is not meant for this API (aud)";
            }
        }
        for (String claim : required) {
            if (claims.getClaim(claim) == null) {
                return "the token lacks the claim " + claim;
            }
        }
        return null;
    }
}
