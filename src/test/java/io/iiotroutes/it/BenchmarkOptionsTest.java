package io.iiotroutes.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every -Dbench.* option the benchmark (the Bench*.java classes) reads is passed on by the Maven profile and documented. */
class BenchmarkOptionsTest {

    @Test
    void everyOptionReachesTheBenchmarkAndIsDocumented() throws Exception {
        Set<String> read = new TreeSet<>();
        // the benchmark is the Bench*.java classes of this package; its options are read in BenchOptions
        try (Stream<Path> files = Files.list(Path.of("src/test/java/io/iiotroutes/it"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("Bench(?!markOptionsTest).*\\.java")).toList()) {
                read.addAll(names(Pattern.compile("\"(bench\\.[a-z.-]+)\""), file));
            }
        }
        assertTrue(read.contains("bench.tsdbs"), "options found: " + read);
        assertEquals(read, names(Pattern.compile("-D(bench\\.[a-z.-]+)=\\$\\{"), Path.of("pom.xml")), "options passed by the bench profile");
        assertEquals(read, names(Pattern.compile("\\| `(bench\\.[a-z.-]+)`"), Path.of("docs/performance.md")), "options in docs/performance.md");
    }

    private static Set<String> names(Pattern pattern, Path file) throws Exception {
        Set<String> names = new TreeSet<>();
        Matcher m = pattern.matcher(Files.readString(file));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
