package dev.qastream.launcher.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of {@code bench all}, without running anything: parses the {@code name: value} lines a benchmark
 * prints, takes median, min and max of each figure over the runs, and renders the markdown of bench/results.md.
 */
public final class BenchResults {
    /** A figure line: a name without spaces at the start of the line, a colon, a value. */
    private static final Pattern FIGURE = Pattern.compile("^([A-Za-z][A-Za-z0-9_.\\-]*):[ \\t]+(\\S.*?)[ \\t]*$");
    private static final Pattern NUMBER = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    /** A number, then optionally a remark after a space, as in {@code export_chat_s: 3.1 (runs [3.1, 3.3])}. */
    private static final Pattern NUMBER_VALUE = Pattern.compile("(" + NUMBER.pattern() + ")(\\s.*)?");
    static final int FAILED_RUN_TAIL_LINES = 20;

    private BenchResults() {
    }

    /** The machine the figures come from, as read at the start and the end of the suite. */
    public record Machine(String date, String cpu, int cores, String memory, String os, String java,
                          String loadAverageStart, String loadAverageEnd) {
    }

    /** One run of one benchmark in its own JVM: its exit code, wall time, peak RSS (0: unknown) and output. */
    public record Run(int exitCode, double seconds, long peakRssMb, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** One benchmark of the suite: the command behind it, why it has these arguments, and its runs. */
    public record Benchmark(String name, String command, String note, List<Run> runs) {
        public boolean failed() {
            return runs.stream().anyMatch(r -> !r.succeeded());
        }
    }

    /** Median, min and max of a numeric figure over the runs that printed it. */
    public record Stats(double median, double min, double max, int count) {
        static Stats of(List<Double> values) {
            List<Double> sorted = values.stream().sorted().toList();
            int n = sorted.size();
            double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
        }
    }

    /** A figure over the runs: numeric (stats) or text (the distinct values, in order of appearance). */
    public record Figure(String name, Stats stats, List<String> texts) {
    }

    /**
     * The {@code name: value} lines of one run's output, in order; a name printed twice keeps its last value. A value
     * is a number (what follows it after a space is a remark) or a single word.
     */
    public static Map<String, String> parse(String output) {
        Map<String, String> figures = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            Matcher m = FIGURE.matcher(line);
            String value = m.matches() ? value(m.group(2)) : null;
            if (value != null) {
                figures.remove(m.group(1)); // order of the last value
                figures.put(m.group(1), value);
            }
        }
        return figures;
    }

    /** A number (a remark after it dropped), or one word of text; null for prose (a log line, key=value lists). */
    private static String value(String text) {
        Matcher number = NUMBER_VALUE.matcher(text);
        if (number.matches()) {
            return number.group(1);
        }
        return text.matches("[^\\s=]+") ? text : null;
    }

    /**
     * Each figure over the successful runs, in order of first appearance: numeric when every value of it is a
     * number, text otherwise.
     */
    public static List<Figure> aggregate(List<Run> runs) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Run run : runs) {
            if (run.succeeded()) {
                parse(run.output()).forEach((name, value) -> values.computeIfAbsent(name, n -> new ArrayList<>()).add(value));
            }
        }
        List<Figure> figures = new ArrayList<>();
        values.forEach((name, list) -> {
            if (list.stream().allMatch(v -> NUMBER.matcher(v).matches())) {
                figures.add(new Figure(name, Stats.of(list.stream().map(Double::parseDouble).toList()), List.of()));
            } else {
                Set<String> distinct = new LinkedHashSet<>(list);
                figures.add(new Figure(name, null, List.copyOf(distinct)));
            }
        });
        List<Run> succeeded = runs.stream().filter(Run::succeeded).toList();
        if (!succeeded.isEmpty()) {
            figures.add(new Figure("run_wall_s", Stats.of(succeeded.stream().map(Run::seconds).toList()), List.of()));
            List<Double> rss = succeeded.stream().filter(r -> r.peakRssMb() > 0).map(r -> (double) r.peakRssMb()).toList();
            if (!rss.isEmpty()) {
                figures.add(new Figure("run_peak_rss_mb", Stats.of(rss), List.of()));
            }
        }
        return figures;
    }

    /** The whole of bench/results.md. */
    public static String markdown(Machine machine, String suiteCommand, String javaCommand, List<Benchmark> benchmarks) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n");
        md.append("Written by `").append(suiteCommand).append("` on ").append(machine.date()).append(".\n");
        md.append("Each run is a fresh JVM: `").append(javaCommand).append(" ARGS`, ARGS being the command of the benchmark ")
                .append("without `./pipeline`. Every figure: the median, min and max over the successful runs; ")
                .append("`run_wall_s` and `run_peak_rss_mb` are the wall time and peak RSS (VmHWM) of each run's JVM ")
                .append("(not its child processes: the registry, the services of `load`).\n\n");
        md.append("## Machine\n\n| | |\n|---|---|\n");
        row(md, "CPU", machine.cpu() + " (" + machine.cores() + " cores)");
        row(md, "memory", machine.memory());
        row(md, "OS", machine.os());
        row(md, "Java", machine.java());
        row(md, "load average (1, 5, 15 min) at start", machine.loadAverageStart());
        row(md, "load average (1, 5, 15 min) at end", machine.loadAverageEnd());
        md.append('\n');
        md.append("## Summary\n\n| benchmark | runs | succeeded | command |\n|---|---|---|---|\n");
        for (Benchmark b : benchmarks) {
            long ok = b.runs().stream().filter(Run::succeeded).count();
            md.append("| ").append(b.name()).append(" | ").append(b.runs().size()).append(" | ").append(ok)
                    .append(ok < b.runs().size() ? " **(failed)**" : "").append(" | `").append(b.command()).append("` |\n");
        }
        for (Benchmark b : benchmarks) {
            md.append("\n## ").append(b.name()).append("\n\n");
            md.append("Command: `").append(b.command()).append("`");
            if (!b.note().isBlank()) {
                md.append(" (").append(b.note()).append(')');
            }
            md.append(".\n\n");
            List<Figure> figures = aggregate(b.runs());
            if (figures.isEmpty()) {
                md.append("No successful run.\n");
            } else {
                md.append("| figure | median | min | max |\n|---|---|---|---|\n");
                for (Figure f : figures) {
                    if (f.stats() != null) {
                        md.append("| ").append(f.name()).append(" | ").append(format(f.stats().median())).append(" | ")
                                .append(format(f.stats().min())).append(" | ").append(format(f.stats().max())).append(" |\n");
                    } else {
                        md.append("| ").append(f.name()).append(" | ").append(String.join(" / ", f.texts()))
                                .append(" | | |\n");
                    }
                }
            }
            for (int i = 0; i < b.runs().size(); i++) {
                Run r = b.runs().get(i);
                if (!r.succeeded()) {
                    md.append("\nRun ").append(i + 1).append(" failed: exit code ").append(r.exitCode())
                            .append(String.format(Locale.ROOT, " after %.1f s", r.seconds())).append("; its last lines:\n\n```\n")
                            .append(tail(r.output(), FAILED_RUN_TAIL_LINES)).append("\n```\n");
                }
            }
        }
        return md.toString();
    }

    /** The last {@code n} lines of {@code text}. */
    static String tail(String text, int n) {
        List<String> lines = text.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** A figure as printed: integers without decimals, others with up to 3 significant decimals. */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.3f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }
}
