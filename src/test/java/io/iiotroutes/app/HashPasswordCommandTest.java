package io.iiotroutes.app;

import io.iiotroutes.broker.PasswordHash;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashPasswordCommandTest {

    @Test
    void printsAHashOfTheFirstLineOfStandardInput() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = HashPasswordCommand.run(null, new ByteArrayInputStream("s3cret pw\nignored\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true), new PrintStream(err, true));

        assertEquals(0, exit);
        String hash = out.toString(StandardCharsets.UTF_8).trim();
        assertTrue(PasswordHash.matches("s3cret pw".toCharArray(), hash), hash);
        assertFalse((out + err.toString()).contains("s3cret"));
    }

    @Test
    void refusesAnEmptyPassword() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, HashPasswordCommand.run(null, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no password"));
    }
}
