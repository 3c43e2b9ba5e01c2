package io.iiotroutes.server;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A whole JSON file replaced through a temporary file and an atomic rename: a crash leaves the old or the new one. */
final class AtomicJsonFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AtomicJsonFile() {
    }

    static void write(Path file, Object value) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(temporary.toFile(), value);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
