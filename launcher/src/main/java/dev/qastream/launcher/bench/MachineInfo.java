package dev.qastream.launcher.bench;

import dev.qastream.launcher.bench.BenchResults.Machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What bench/results.md says of the machine, read from /proc and the JVM ("unknown" where not on Linux). */
final class MachineInfo {
    private MachineInfo() {
    }

    static Machine read(String date, String loadAverageStart) {
        return new Machine(date, cpuModel(), Runtime.getRuntime().availableProcessors(), memory(), os(), java(),
                loadAverageStart, loadAverage());
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadAverage() {
        List<String> fields = List.of(read(Path.of("/proc/loadavg")).split("\\s+"));
        return fields.size() >= 3 ? String.join(" ", fields.subList(0, 3))
                : String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String cpuModel() {
        return field(read(Path.of("/proc/cpuinfo")), "model name").orElse(System.getProperty("os.arch"));
    }

    private static String memory() {
        return field(read(Path.of("/proc/meminfo")), "MemTotal")
                .map(v -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(v.replaceAll("\\D+", "")) / 1024.0 / 1024.0))
                .orElse("unknown");
    }

    private static String os() {
        String pretty = field(read(Path.of("/etc/os-release")), "PRETTY_NAME").map(v -> v.replace("\"", "") + ", ").orElse("");
        return pretty + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }

    private static String java() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")";
    }

    /** The value of the first {@code key: value} or {@code key=value} line. */
    private static java.util.Optional<String> field(String text, String key) {
        return text.lines().filter(l -> l.startsWith(key))
                .map(l -> l.substring(key.length()).replaceFirst("^\\s*[:=]\\s*", "").strip())
                .filter(v -> !v.isEmpty()).findFirst();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
