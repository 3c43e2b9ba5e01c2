package io.iiotroutes.broker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHashTest {

    @Test
    void matchesOnlyTheHashedPassword() {
        String hash = PasswordHash.hash("correct horse".toCharArray(), 1000);

        assertTrue(PasswordHash.matches("correct horse".toCharArray(), hash));
        assertFalse(PasswordHash.matches("correct horsE".toCharArray(), hash));
        assertFalse(PasswordHash.matches("".toCharArray(), hash));
        assertFalse(hash.contains("correct"), hash);
    }

    @Test
    void saltsEveryHash() {
        assertNotEquals(PasswordHash.hash("same".toCharArray(), 1000), PasswordHash.hash("same".toCharArray(), 1000));
    }

    @Test
    void writesTheSchemeAndIterationsAndRejectsMalformedHashes() {
        String hash = PasswordHash.hash("pw".toCharArray());
        assertTrue(hash.startsWith("pbkdf2-sha256:" + PasswordHash.DEFAULT_ITERATIONS + ":"), hash);
        assertTrue(PasswordHash.isWellFormed(hash));
        assertFalse(PasswordHash.isWellFormed("plain-password"));
        assertFalse(PasswordHash.isWellFormed("pbkdf2-sha256:x:AAAA:AAAA"));
        assertFalse(PasswordHash.matches("pw".toCharArray(), "md5:1:AAAA:AAAA"));
        assertFalse(PasswordHash.matches("pw".toCharArray(), null));
    }

    @Test
    void randomPasswordsDiffer() {
        assertNotEquals(new String(PasswordHash.randomPassword()), new String(PasswordHash.randomPassword()));
        assertEquals(32, PasswordHash.randomPassword().length);
    }
}
