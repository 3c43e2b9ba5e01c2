package io.iiotroutes.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** What the benchmark reads from /proc (CPU, memory, load), and its small helpers. */
final class BenchProc {

    static final long CLOCK_TICKS_PER_SECOND = 100;

    private BenchProc() {
    }

    /**
     * Where the machine's CPU went during a step, in cores: the system under test, the broker, the TSDB and the
     * benchmark's own JVM (load generator and WebSocket client, plus HiveMQ when it is the broker), and how busy
     * the whole machine was. Shows whether a step was limited by the system or by the machine it shares.
     */
    static final class CpuWindow {
        record Shares(double system, double broker, double tsdb, double bench, double machineBusy, double windowSeconds) {

            /** CPU seconds the system under test used in the window. */
            double systemCpuSeconds() {
                return system * windowSeconds;
            }

            @Override
            public String toString() {
                return String.format(Locale.ROOT, "%.2f / %s / %.2f / %.2f (machine %.0f %% busy)", system,
                        Double.isNaN(broker) ? "in bench" : String.format(Locale.ROOT, "%.2f", broker), tsdb, bench, machineBusy * 100);
            }
        }

        private final long[] pids;
        private final long[] before;
        private final long[] machineBefore;
        private final long startedNanos = System.nanoTime();

        private CpuWindow(long... pids) throws IOException {
            this.pids = pids;
            this.before = new long[pids.length];
            for (int i = 0; i < pids.length; i++) {
                before[i] = ticks(pids[i]);
            }
            this.machineBefore = machineTicks();
        }

        /** pids of -1: not a process of its own (reported as "in bench"). */
        static CpuWindow start(long system, long broker, long tsdb, long bench) throws IOException {
            return new CpuWindow(system, broker, tsdb, bench);
        }

        Shares stop() throws IOException {
            double seconds = (System.nanoTime() - startedNanos) / 1e9;
            double[] cores = new double[pids.length];
            for (int i = 0; i < pids.length; i++) {
                cores[i] = pids[i] < 0 ? Double.NaN : (ticks(pids[i]) - before[i]) / (double) CLOCK_TICKS_PER_SECOND / seconds;
            }
            long[] machine = machineTicks();
            double busy = (machine[0] - machineBefore[0]) / (double) Math.max(1, machine[1] - machineBefore[1]);
            return new Shares(cores[0], cores[1], cores[2], cores[3], busy, seconds);
        }

        /** CPU ticks of a process; 0 for -1 or a process that is gone (a TSDB restarted in a fault step). */
        private static long ticks(long pid) throws IOException {
            if (pid < 0 || !Files.exists(Path.of("/proc/" + pid))) {
                return 0;
            }
            long[] t = cpuTicks(pid);
            return t[0] + t[1];
        }

        /** Busy and total ticks of all cores (/proc/stat: idle and iowait count as not busy). */
        private static long[] machineTicks() throws IOException {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[]{total - idle, total};
        }
    }

    /** The machine's 1-minute load average: how busy the 2 cores were (shared machine: other builds count too). */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** utime and stime of a process, in clock ticks. */
    static long[] cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[]{Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }

    static double cpuSeconds(long pid) throws IOException {
        long[] t = cpuTicks(pid);
        return (t[0] + t[1]) / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** Peak resident set size (VmHWM) of a process, in kB. */
    static long peakRssKb(long pid) throws IOException {
        return status(pid, "VmHWM:");
    }

    /** Resident set size now (VmRSS), in kB. */
    static long rssKb(long pid) throws IOException {
        return status(pid, "VmRSS:");
    }

    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    static double[] percentiles(Collection<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return new double[]{Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[]{at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999)};
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    static String ms(double[] p) {
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", p[0], p[1], p[2]);
    }

    static Path fresh(Path path) throws IOException {
        if (Files.exists(path)) {
            try (var walk = Files.walk(path)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return Files.createDirectories(path);
    }

    /** Paces the benchmark's own loops (not a test wait: there is no condition to wait for). */
    static void waitMillis(long millis) {
        CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS)).join();
    }

    static void log(String line) {
        System.out.println("[bench " + Instant.now() + "] " + line);
    }
}
