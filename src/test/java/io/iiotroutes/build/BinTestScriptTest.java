package io.iiotroutes.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bin/test, the README's test command, on machines it cannot see from here: run with a PATH of stand-ins (a folder
 * holding bash, the tools said to be installed, and fakes of id, sudo, apt-get, apt-cache and mvn that write down
 * how they were called), so each of its branches runs: nothing missing, missing and no way to install (exit 3 and
 * the exact message), installed as root or through sudo, a package apt has no candidate for, an install that
 * fails. And the packages it would install are names this machine's apt knows.
 */
class BinTestScriptTest {

    private static final Path SCRIPT = Path.of("bin/test").toAbsolutePath();
    /** What the fakes of apt-get install "brings": package -> command. */
    private static final Map<String, String> BRINGS = Map.of("chromium-driver", "chromedriver", "influxdb", "influxd");

    @TempDir
    Path dir;

    /** The stand-in PATH: bash and the few utilities the script (and the fakes) call, every tool it checks but these. */
    private Path path(List<String> absent) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("bash", "env", "dirname", "chmod", "true")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of(which(tool)));
        }
        for (String tool : List.of("javac", "chromium", "chromedriver", "mosquitto", "mosquitto_sub", "influxd",
                "docker-compose")) {
            if (!absent.contains(tool)) {
                fake(bin, tool, "exit 0");
            }
        }
        fake(bin, "mvn", "echo \"mvn $*\" >> " + dir.resolve("calls"));
        return bin;
    }

    private static String which(String tool) {
        for (String d : List.of("/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return d + "/" + tool;
            }
        }
        throw new IllegalStateException("no " + tool);
    }

    private static void fake(Path bin, String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** id -u answers uid; apt-cache has a candidate for every package but noCandidate; apt-get install exits installExit. */
    private void fakeSystem(Path bin, int uid, boolean sudo, String noCandidate, int installExit) throws IOException {
        fake(bin, "id", "echo " + uid);
        if (sudo) {
            fake(bin, "sudo", "echo \"sudo $*\" >> " + dir.resolve("calls") + "\n[[ $1 == -n ]] && shift\nexec \"$@\"");
        }
        fake(bin, "apt-cache", "[[ $2 == '" + noCandidate + "' ]] && { printf '%s:\\n  Installed: (none)\\n  Candidate: (none)\\n' \"$2\"; exit 0; }\n"
                + "printf '%s:\\n  Installed: (none)\\n  Candidate: 1.0-1\\n' \"$2\"");
        StringBuilder install = new StringBuilder("echo \"apt-get $*\" >> " + dir.resolve("calls") + "\n[[ $1 == install ]] || exit 0\n");
        install.append("[[ $DEBIAN_FRONTEND == noninteractive ]] || exit 9\n");
        install.append("(( ").append(installExit).append(" )) && exit ").append(installExit).append('\n');
        BRINGS.forEach((pkg, command) -> install.append("[[ \" $* \" == *' ").append(pkg).append(" '* ]] && printf '#!/bin/bash\\n' > ")
                .append(bin.resolve(command)).append(" && chmod +x ").append(bin.resolve(command)).append('\n'));
        install.append("exit 0");
        fake(bin, "apt-get", install.toString());
    }

    private record Run(int exit, String out, String err, List<String> calls) {
    }

    private Run run(Path bin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        builder.environment().clear();
        builder.environment().put("PATH", bin.toString());
        Process process = builder.start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "bin/test ended");
        Path calls = dir.resolve("calls");
        return new Run(process.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")),
                Files.exists(calls) ? Files.readAllLines(calls) : List.of());
    }

    @Test
    void withEverythingThereItRunsTheSuiteWithTheGivenArguments() throws Exception {
        Path bin = path(List.of());
        fake(bin, "id", "echo 1000");
        Run run = run(bin, "-Dit.test=HostileNodeIT");
        assertEquals(0, run.exit(), run.err());
        assertEquals(List.of("mvn -B verify -Dit.test=HostileNodeIT"), run.calls());
    }

    @Test
    void missingToolsWithoutRootOrSudoAreNamedWithTheCommandAndExit3() throws Exception {
        Path bin = path(List.of("chromedriver", "influxd"));
        fakeSystem(bin, 1000, false, "", 0);
        Run run = run(bin);
        assertEquals(3, run.exit(), run.err());
        assertEquals(List.of(
                "bin/test: the tests need these Debian packages, which are not installed: chromium-driver influxdb",
                "  install them with:  sudo apt-get install --no-install-recommends chromium-driver influxdb",
                "  (on another system: a JDK 17, Maven 3.8+, Chromium and its chromedriver, Mosquitto 2, InfluxDB 1.x",
                "   and docker-compose on the PATH), then run bin/test again"), run.err().lines().toList());
        assertEquals(List.of(), run.calls(), "neither apt nor Maven ran");
    }

    @Test
    void withoutAptTheMissingToolsAreNamedToo() throws Exception {
        Path bin = path(List.of("docker-compose"));
        fake(bin, "id", "echo 0");
        Run run = run(bin);
        assertEquals(3, run.exit(), run.err());
        assertTrue(run.err().startsWith("bin/test: the tests need these Debian packages, which are not installed: docker-compose\n"), run.err());
    }

    @Test
    void asRootItInstallsWhatIsMissingThenRunsTheSuite() throws Exception {
        Path bin = path(List.of("chromedriver", "influxd"));
        fakeSystem(bin, 0, false, "", 0);
        Run run = run(bin);
        assertEquals(0, run.exit(), run.err());
        assertEquals(List.of("apt-get update -q", "apt-get install -y -q --no-install-recommends chromium-driver influxdb",
                "mvn -B verify"), run.calls());
        assertTrue(run.out().contains("bin/test: installing chromium-driver influxdb"), run.out());
    }

    @Test
    void withPasswordlessSudoItInstallsThroughSudo() throws Exception {
        Path bin = path(List.of("influxd"));
        fakeSystem(bin, 1000, true, "", 0);
        Run run = run(bin);
        assertEquals(0, run.exit(), run.err());
        assertEquals(List.of("sudo -n true", "sudo apt-get update -q", "apt-get update -q",
                "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends influxdb",
                "apt-get install -y -q --no-install-recommends influxdb", "mvn -B verify"), run.calls());
    }

    @Test
    void aPackageAptHasNoCandidateForIsNamedAndNothingIsInstalled() throws Exception {
        Path bin = path(List.of("chromedriver", "influxd"));
        fakeSystem(bin, 0, false, "influxdb", 0);
        Run run = run(bin);
        assertEquals(3, run.exit(), run.err());
        assertTrue(run.err().startsWith("bin/test: apt cannot install influxdb: no candidate in this machine's package sources"), run.err());
        assertTrue(run.err().contains("which are not installed: chromium-driver influxdb\n"), run.err());
        assertEquals(List.of("apt-get update -q"), run.calls(), "no install, no Maven");
    }

    @Test
    void anInstallThatFailsEndsWithWhatIsStillMissing() throws Exception {
        Path bin = path(List.of("influxd"));
        fakeSystem(bin, 0, false, "", 100);
        Run run = run(bin);
        assertEquals(3, run.exit(), run.err());
        assertTrue(run.err().startsWith("bin/test: apt-get install failed (its message is above)\n"
                + "bin/test: the tests need these Debian packages, which are not installed: influxdb\n"), run.err());
        assertFalse(run.calls().contains("mvn -B verify"), run.calls().toString());
    }

    @Test
    void thePackagesItWouldInstallAreKnownToApt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-cache")), "a Debian machine");
        Process list = new ProcessBuilder(SCRIPT.toString(), "--packages").start();
        assertTrue(list.waitFor(10, TimeUnit.SECONDS));
        List<String> packages = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(8, packages.size(), packages.toString());
        for (String name : packages) {
            ProcessBuilder policy = new ProcessBuilder("apt-cache", "policy", name).redirectErrorStream(true);
            policy.environment().put("LC_ALL", "C");
            Process p = policy.start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.matches("(?s).*\\n  Candidate: (?!\\(none\\))\\S+\\n.*"), name + ": " + answer);
        }
    }
}
