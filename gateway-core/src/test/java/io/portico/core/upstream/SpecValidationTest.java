package io.portico.core.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class SpecValidationTest {

    @Test
    void healthCheck_defaults() {
        HealthCheckSpec h = HealthCheckSpec.of("/health");
        assertEquals(new HealthCheckSpec("/health", Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 3, 200, 399), h);
        assertTrue(h.isExpected(200));
        assertTrue(h.isExpected(399));
        assertTrue(!h.isExpected(400));
    }

    @Test
    void healthCheck_refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> HealthCheckSpec.of("health"));
        assertThrows(IllegalArgumentException.class,
                () -> new HealthCheckSpec("/h", Duration.ZERO, Duration.ofSeconds(1), 1, 1, 200, 299));
        assertThrows(IllegalArgumentException.class,
                () -> new HealthCheckSpec("/h", Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 1, 200, 299));
        assertThrows(IllegalArgumentException.class,
                () -> new HealthCheckSpec("/h", Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1, 300, 200));
    }

    @Test
    void passive_defaultsAndDoubling() {
        PassiveSpec p = PassiveSpec.defaults();
        assertEquals(new PassiveSpec(5, Duration.ofSeconds(30)), p);
        assertEquals(Duration.ofSeconds(30), p.ejectionFor(1));
        assertEquals(Duration.ofSeconds(60), p.ejectionFor(2));
        assertEquals(Duration.ofSeconds(240), p.ejectionFor(4));
        assertEquals(Duration.ofMinutes(5), p.ejectionFor(5));
        assertEquals(Duration.ofMinutes(5), p.ejectionFor(1000));
        assertEquals(Duration.ofMinutes(10), new PassiveSpec(1, Duration.ofMinutes(10)).ejectionFor(3));
    }

    @Test
    void hashOn_needsANameExceptForClientIp() {
        assertThrows(IllegalArgumentException.class, () -> HashOn.header(" "));
        assertThrows(IllegalArgumentException.class, () -> new HashOn(HashOn.Source.COOKIE, null));
        assertNull(HashOn.clientIp().name());
    }

    @Test
    void upstream_defaultsBalancerAndPassive() {
        UpstreamSpec s = new UpstreamSpec("orders", Pools.targets(1), null, null, null, null);
        assertEquals(BalancerKind.ROUND_ROBIN, s.balancer());
        assertEquals(PassiveSpec.defaults(), s.passive());
    }

    @Test
    void upstream_refusesMissingTargetsDuplicatesAndHashOnMismatch() {
        assertThrows(IllegalArgumentException.class, () -> UpstreamSpec.of("orders", List.of()));
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> UpstreamSpec.of("orders",
                List.of(TargetSpec.parse("http://127.0.0.1:9001", 1), TargetSpec.parse("http://127.0.0.1:9001/", 2))));
        assertTrue(dup.getMessage().contains("127.0.0.1:9001"), dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new UpstreamSpec("orders", Pools.targets(1),
                BalancerKind.CONSISTENT_HASH, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new UpstreamSpec("orders", Pools.targets(1),
                BalancerKind.ROUND_ROBIN, HashOn.clientIp(), null, null));
    }
}
