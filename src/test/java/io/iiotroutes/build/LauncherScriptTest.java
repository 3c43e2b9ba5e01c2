package io.iiotroutes.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/iiot-routes, the README's way to start the application: the JVM options it gives each mode, that settings pass
 * through, that IIOT_JAVA_OPTS replaces the defaults, and that the benchmark measures the server and edge with the
 * same options a user gets (BenchOptions' defaults). A stand-in java writes down how it was called.
 */
class LauncherScriptTest {

    private static final Path SCRIPT = Path.of("bin/iiot-routes").toAbsolutePath();
    private static final String JAR = Path.of("target/iiot-routes.jar").toAbsolutePath().toString();

    @TempDir
    Path dir;

    private String run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX $*\"\n");
        assertTrue(java.toFile().setExecutable(true));
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of("sh", SCRIPT.toString())));
        builder.command().addAll(List.of(args));
        builder.environment().remove("IIOT_JAVA_OPTS");
        builder.environment().remove("MALLOC_ARENA_MAX");
        builder.environment().put("IIOT_JAVA", java.toString());
        builder.environment().putAll(env);
        Process process = builder.redirectErrorStream(true).start();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    @Test
    void eachModeGetsItsJvmDefaultsAndTheSettingsPassThrough() throws Exception {
        assertEquals("MALLOC_ARENA_MAX=2 -Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar " + JAR + " server --iiot.tsdb.url=http://tsdb:8086",
                run(Map.of(), "server", "--iiot.tsdb.url=http://tsdb:8086"));
        assertEquals("MALLOC_ARENA_MAX=2 -Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar " + JAR + " server --iiot.site=plant",
                run(Map.of("IIOT_TSDB_URL", "http://tsdb:8086"), "server", "--iiot.site=plant"));
        // the embedded QuestDB keeps about 70 MB on the heap: the demo, and a server without a TSDB of its own (which
        // also holds a backlog of unacknowledged messages during an outage)
        assertEquals("MALLOC_ARENA_MAX=2 -Xmx384m -XX:+UseSerialGC -jar " + JAR + " server --iiot.site=plant",
                run(Map.of(), "server", "--iiot.site=plant"));
        assertEquals("MALLOC_ARENA_MAX=2 -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar " + JAR + " demo", run(Map.of(), "demo"));
        assertEquals("MALLOC_ARENA_MAX=2 " + benchDefault("edgeJvmArgs") + " -jar " + JAR + " edge --iiot.edge.nodes=n.yaml",
                run(Map.of(), "edge", "--iiot.edge.nodes=n.yaml"));
        assertEquals("MALLOC_ARENA_MAX=2 -Xmx384m -XX:+UseSerialGC -jar " + JAR + " --help", run(Map.of(), "--help"));
    }

    @Test
    void iiotJavaOptsReplacesTheDefaultsAndAnEmptyOneLeavesTheJvmItsOwn() throws Exception {
        assertEquals("MALLOC_ARENA_MAX=2 -Xmx1g -jar " + JAR + " server", run(Map.of("IIOT_JAVA_OPTS", "-Xmx1g"), "server"));
        assertEquals("MALLOC_ARENA_MAX=2 -jar " + JAR + " server", run(Map.of("IIOT_JAVA_OPTS", ""), "server"));
        assertEquals("MALLOC_ARENA_MAX=8 -Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar " + JAR + " server",
                run(Map.of("MALLOC_ARENA_MAX", "8", "IIOT_TSDB_URL", "http://tsdb:8086"), "server"));
    }

    @Test
    void theBenchmarkMeasuresWhatTheLauncherStarts() throws Exception {
        String server = run(Map.of("IIOT_TSDB_URL", "http://tsdb:8086"), "server");   // as the benchmark runs it
        assertTrue(server.contains(" " + benchDefault("serverJvmArgs") + " -jar "), server);
        assertTrue(server.startsWith("MALLOC_ARENA_MAX=" + benchDefault("mallocArenas") + " "), server);
    }

    /** A default of the benchmark's options, as written in BenchOptions. */
    private static String benchDefault(String field) throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/iiotroutes/it/BenchOptions.java"));
        Matcher m = Pattern.compile(field + " = property\\(\"[a-z.-]+\",\\s*\"([^\"]*)\"\\)").matcher(source);
        assertTrue(m.find(), "no default for " + field);
        return m.group(1);
    }
}
