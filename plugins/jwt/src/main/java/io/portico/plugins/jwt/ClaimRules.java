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

    /**
     * A verified token's claims as the checks need them, read once: its times, and why it is refused
     * whatever the time ({@code null} when nothing is wrong but, perhaps, time).
     */
    record Checked(long expiresAt, long notBefore, long issuedAt, String lasting) {
    }

    /** Reads the claims once, for a token that may be admitted many times. */
    Checked check(JWTClaimsSet claims, Set<String> audiences) {
        Date expiry = claims.getExpirationTime();
        Date notBefore = claims.getNotBeforeTime();
        Date issued = claims.getIssueTime();
        return new Checked(expiry == null ? Long.MAX_VALUE : expiry.getTime(),
                notBefore == null ? Long.MIN_VALUE : notBefore.getTime(),
                issued == null ? Long.MIN_VALUE : issued.getTime(), lasting(claims, expiry, audiences));
    }

    private String lasting(JWTClaimsSet claims, Date expiry, Set<String> audiences) {
        if (expiry == null && requireExpiry) {
            return "the token has no expiry (exp)";
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

    /** Why the token is refused now, or {@code null} when its claims pass. */
    String problem(Checked checked) {
        if (checked.lasting() != null) {
            return checked.lasting();
        }
        long now = clock.millis();
        if (now - skewMillis >= checked.expiresAt()) {
            return "the token has expired";
        }
        if (now + skewMillis < checked.notBefore()) {
            return "the token is not valid yet (nbf)";
        }
        if (now + skewMillis < checked.issuedAt()) {
            return "the token is issued in the future (iat)";
        }
        return null;
    }

    /** Why the token is refused, or {@code null} when its claims pass. */
    String problem(JWTClaimsSet claims, Set<String> audiences) {
        return problem(check(claims, audiences));
    }
}
