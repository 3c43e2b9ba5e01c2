package io.iiotroutes.ops;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebAuthTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    private final WebAuth auth = new WebAuth("operator-token-0123456789", Duration.ofHours(1), clock);

    @Test
    void onlyTheExactTokenMatches() {
        assertTrue(auth.matches("operator-token-0123456789"));
        assertFalse(auth.matches("operator-token-012345678"));
        assertFalse(auth.matches("operator-token-0123456789 "));
        assertFalse(auth.matches(""));
        assertFalse(auth.matches(null));
    }

    @Test
    void aSessionLastsItsLifetimeAndNoLonger() {
        String session = auth.newSession();
        assertTrue(auth.validSession(session));
        assertFalse(auth.validSession("made-up"));
        now.addAndGet(Duration.ofMinutes(59).toMillis());
        assertTrue(auth.validSession(session));
        now.addAndGet(Duration.ofMinutes(2).toMillis());
        assertFalse(auth.validSession(session));
    }

    @Test
    void theDataIsProtectedTheEmptyPageAndHealthAreNot() {
        assertTrue(WebAuth.isProtected("/api/nodes"));
        assertTrue(WebAuth.isProtected("/api/alarms/3/ack"));
        assertTrue(WebAuth.isProtected("/ws"));
        assertTrue(WebAuth.isProtected("/observe/metrics"));
        assertFalse(WebAuth.isProtected("/"));
        assertFalse(WebAuth.isProtected("/app.js"));
        assertFalse(WebAuth.isProtected("/observe/health"));
    }

    @Test
    void tokensAreLongAndRandom() {
        assertThrows(IllegalArgumentException.class, () -> new WebAuth("short", Duration.ofHours(1)));
        String a = WebAuth.randomToken();
        assertEquals(43, a.length());
        assertNotEquals(a, WebAuth.randomToken());
    }
}
