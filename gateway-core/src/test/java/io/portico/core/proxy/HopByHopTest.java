package io.portico.core.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.api.Headers;
import org.junit.jupiter.api.Test;

class HopByHopTest {

    @Test
    void fixedFields_anyCase_andEveryProxyField_areHopByHop() {
        for (String name : new String[] {"Connection", "KEEP-ALIVE", "te", "Trailer", "Transfer-Encoding", "Upgrade",
            "Proxy-Authorization", "proxy-anything", "HTTP2-Settings"}) {
            assertTrue(HopByHop.isHopByHop(name, null), name);
        }
        for (String name : new String[] {"Content-Length", "Host", "Accept", "Trailers", "T", "Upgrade-Insecure-Requests",
            // same first letter or length as a fixed name, but another name
            "Connectionx", "Cookie", "Keep-Alivx", "Tx", "Trailex", "Transfer-Encodinx", "Upgradx", "HTTP2-Settingz",
            "Proxy", "Proxyx-A", "Ćonnection", "\u0143eep-alive"}) {
            assertFalse(HopByHop.isHopByHop(name, null), name);
        }
    }

    @Test
    void fieldsNamedInConnection_areHopByHop_withSpacesAndCase() {
        assertTrue(HopByHop.isHopByHop("X-Secret", "keep-alive,  x-secret ,close"));
        assertTrue(HopByHop.isHopByHop("X-Secret", "X-SECRET"));
        assertFalse(HopByHop.isHopByHop("X-Secret", "x-secret-2, close"));
        assertFalse(HopByHop.isHopByHop("X-Sec", "x-secret"));
    }

    @Test
    void strip_keepsEndToEndFields_inOrder() {
        Headers stripped = HopByHop.strip(Headers.of("Accept", "a", "Connection", "x-one", "X-One", "1",
                "Keep-Alive", "5", "X-Two", "2"));
        assertEquals(Headers.of("Accept", "a", "X-Two", "2"), stripped);
    }
}
