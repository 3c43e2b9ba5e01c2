package io.iiotroutes.app;

import io.iiotroutes.broker.PasswordHash;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code java -jar iiot-routes.jar hash-password}: reads a password (from the terminal without echo, or the first
 * line of standard input) and prints its hash for a line of the broker users file, so no password is ever written
 * into a file or onto a command line.
 */
final class HashPasswordCommand {

    static final String NAME = "hash-password";

    private HashPasswordCommand() {
    }

    /** @return the exit code */
    static int run(Console console, InputStream in, PrintStream out, PrintStream err) {
        char[] password;
        try {
            password = console != null ? console.readPassword("Password: ") : firstLine(in);
        } catch (IOException e) {
            err.println("error: cannot read the password: " + e.getMessage());
            return 1;
        }
        if (password == null || password.length == 0) {
            err.println("error: no password given (type it, or pipe it on standard input)");
            return 2;
        }
        try {
            out.println(PasswordHash.hash(password));
            err.println("Add a line '<username> = node:<hash>' (or 'server:<hash>') to the file named by iiot.broker.users-file.");
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] firstLine(InputStream in) throws IOException {
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        return line == null ? null : line.toCharArray();
    }
}
