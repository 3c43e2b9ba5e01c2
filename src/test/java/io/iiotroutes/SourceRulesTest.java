package io.iiotroutes;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules of issue 16 that hold for the source as written (docs/architecture.md, packages): no class longer than
 * 400 lines, and the packages' directions: the server and the edge know nothing of each other (both use the node
 * model, the contract and the codecs), the node model neither, and ops (health, web security, JMX) neither.
 */
class SourceRulesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path PACKAGES = SOURCES.resolve("io/iiotroutes");
    private static final int MAX_LINES = 400;
    /** Per package: the packages its classes must not refer to. */
    private static final Map<String, List<String>> FORBIDDEN = Map.of(
            "server", List.of("edge"),
            "edge", List.of("server"),
            "node", List.of("edge", "server"),
            "ops", List.of("edge", "server"));

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void theSourcesAreWhereThisTestLooks() throws IOException {
        assertTrue(sources().size() > 100, "run from the project root: " + SOURCES.toAbsolutePath());
    }

    @Test
    void noClassIsLongerThan400Lines() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (Path file : sources()) {
            long lines = Files.readAllLines(file).size();
            if (lines > MAX_LINES) {
                tooLong.add(SOURCES.relativize(file) + " (" + lines + " lines)");
            }
        }
        assertEquals(List.of(), tooLong, "split these by concern");
    }

    @Test
    void serverEdgeNodeModelAndOpsReferOnlyToWhatTheyMay() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, List<String>> rule : FORBIDDEN.entrySet()) {
            Path folder = PACKAGES.resolve(rule.getKey());
            for (Path file : sources()) {
                if (!file.startsWith(folder)) {
                    continue;
                }
                for (String forbidden : rule.getValue()) {
                    // imports and fully qualified names in code (comments and javadoc left out)
                    Pattern reference = Pattern.compile("\\bio\\.iiotroutes\\." + forbidden + "\\b");
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i).trim();
                        if (!line.startsWith("*") && !line.startsWith("/*") && !line.startsWith("//")
                                && reference.matcher(line).find()) {
                            violations.add(SOURCES.relativize(file) + ":" + (i + 1) + " refers to io.iiotroutes."
                                    + forbidden + ": " + line);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
