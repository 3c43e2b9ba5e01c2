package io.iiotroutes.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A node file for server tests: one simulated channel, ai1 in bar, with a high alarm at 8 (hysteresis 0.5). */
final class AlarmNodeFile {

    private AlarmNodeFile() {
    }

    static Path write(Path file, String site, String node) throws IOException {
        Files.writeString(file, """
                site: %s
                node: %s
                driver: { type: simulated }
                groups:
                  - name: all
                    periodMs: 1000
                    channels:
                      - { id: ai1, signal: 4-20mA, range: [0, 10], unit: bar, simulation: { shape: sine, min: 4, max: 20 }, alarms: { h: 8, hysteresis: 0.5 } }
                """.formatted(site, node));
        return file;
    }
}
