package io.iiotroutes.app.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A secret the application generated for this run, in a file only its user can read (never in the log). */
final class SecretFile {

    private SecretFile() {
    }

    static Path write(Path file, String secret) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n");
            return file;
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot write the generated secret to " + file + ": " + e.getMessage(), e);
        }
    }
}
