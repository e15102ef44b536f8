package dev.qastream.launcher.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One stage as a child JVM ({@code ./pipeline service NAME}, or the whole stack with {@code up}), on this JVM's
 * classpath and options, its output in a log file. Tells its memory (from /proc) and counts the times its log
 * says a transaction of it was fenced.
 */
final class ChildService implements AutoCloseable {
    /** Log records (a timestamped line and its stack trace) that tell of a fenced producer. */
    private static final Pattern FENCED = Pattern.compile("InvalidProducerEpochException|ProducerFencedException|being fenced");
    private static final Pattern LOG_RECORD_START = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");
    private static final long SAME_FENCING_MS = 5_000;
    private static final Pattern METRICS_PORT = Pattern.compile("metrics: http://127\\.0\\.0\\.1:(\\d+)/metrics");

    private final String name;
    private final Process process;
    private final Path log;
    private long scannedBytes;
    private boolean inFencedRecord;
    private long recordMs;
    private long lastFencedMs = -1;
    private int fenced;
    private long peakRssKb;
    private int metricsPort = -1;
    private final List<String> fencedLines = new ArrayList<>();

    private ChildService(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java ... Main ARGS}, its output to {@code log}. */
    static ChildService start(String name, List<String> args, Path log) throws IOException {
        return start(name, List.of(), args, log);
    }

    /** Starts {@code java ... JVM_OPTIONS Main ARGS} (options after this JVM's, so e.g. an -Xmx given wins). */
    static ChildService start(String name, List<String> jvmOptions, List<String> args, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(command(args));
        command.addAll(command.indexOf("-cp"), jvmOptions);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        return new ChildService(name, pb.start(), log);
    }

    /** {@code java ... Main ARGS}: this JVM's java, options and classpath. */
    static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The options ./pipeline gave this JVM (native access, platform dir, QASTREAM_JAVA_OPTS), no debug agents.
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent") && !option.startsWith("-Xrunjdwp")) {
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(dev.qastream.launcher.Main.class.getName());
        command.addAll(args);
        return command;
    }

    /** Its exit code once it has exited, or null when still running after {@code timeoutMs}. */
    Integer waitFor(long timeoutMs) throws InterruptedException {
        return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits until the log holds a line containing {@code text}. */
    void awaitLine(String text, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited (" + process.exitValue() + "); see " + log);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(name + " did not start in " + timeoutMs / 1000 + " s; see " + log);
            }
            Thread.sleep(200);
        }
    }

    /** The port of its /metrics endpoint, from the line it prints when running; -1 when not (yet) known. */
    int metricsPort() throws IOException {
        if (metricsPort < 0) {
            Matcher m = METRICS_PORT.matcher(Files.readString(log, StandardCharsets.UTF_8));
            metricsPort = m.find() ? Integer.parseInt(m.group(1)) : -1;
        }
        return metricsPort;
    }

    /** Resident memory now and at its peak (VmRSS, VmHWM), in MB; zeros once the process is gone. */
    Memory memory() {
        try {
            long rss = 0;
            long hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                }
            }
            peakRssKb = Math.max(peakRssKb, hwm);
            return new Memory(rss / 1024, hwm / 1024);
        } catch (IOException | RuntimeException gone) {
            return new Memory(0, peakRssKb / 1024);
        }
    }

    long peakRssMb() {
        memory();
        return peakRssKb / 1024;
    }

    record Memory(long rssMb, long peakMb) {
    }

    private static final Pattern HEAP_USED = Pattern.compile(
            "^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*}\\s+(\\S+)", Pattern.MULTILINE);
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofMillis(500)).build();
    private long peakHeapBytes;

    /** Its /metrics page (Prometheus text), or null when it has none (yet) or does not answer. */
    String metricsText() {
        try {
            int port = metricsPort();
            if (port < 0) {
                return null;
            }
            return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(java.time.Duration.ofSeconds(2)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception busyOrGone) {
            return null;
        }
    }

    /** Heap in use now (all heap pools, from its /metrics), in MB; -1 when it cannot be read. */
    long heapUsedMb() {
        String body = metricsText();
        if (body == null) {
            return -1;
        }
        Matcher m = HEAP_USED.matcher(body);
        double used = 0;
        boolean any = false;
        while (m.find()) {
            used += Double.parseDouble(m.group(1));
            any = true;
        }
        if (!any) {
            return -1;
        }
        peakHeapBytes = Math.max(peakHeapBytes, (long) used);
        return (long) used / (1024 * 1024);
    }

    /** The most heap seen in use at a sample, in MB. */
    long peakHeapUsedMb() {
        return peakHeapBytes / (1024 * 1024);
    }

    /** Times its log tells of an OutOfMemoryError. */
    long outOfMemoryCount() {
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains("OutOfMemoryError")).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    private static long kb(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("\\D+", ""));
    }

    /** Times its log told of a fenced producer so far (read incrementally). */
    int fencedCount() throws IOException {
        try (var channel = Files.newByteChannel(log)) {
            channel.position(scannedBytes);
            byte[] bytes = java.nio.channels.Channels.newInputStream(channel).readAllBytes();
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--; // only whole lines: one still being written is read next time
            }
            new String(bytes, 0, end, StandardCharsets.UTF_8).lines().forEach(this::scan);
            scannedBytes += end;
        }
        return fenced;
    }

    /** The first lines that told of fencing (for the report). */
    List<String> fencedLines() {
        return fencedLines;
    }

    private void scan(String line) {
        Matcher start = LOG_RECORD_START.matcher(line);
        if (start.find()) {
            inFencedRecord = false;
            recordMs = LocalTime.parse(start.group(1)).toNanoOfDay() / 1_000_000;
        }
        if (!inFencedRecord && FENCED.matcher(line).find()) {
            inFencedRecord = true; // a log record counts once, however long its stack trace
            // One fencing logs several records (each failed send, the failed flush, the thread rejoining) within
            // moments: records closer than this to the previous one belong to the same fencing.
            if (lastFencedMs < 0 || Math.abs(recordMs - lastFencedMs) > SAME_FENCING_MS) {
                fenced++;
                if (fencedLines.size() < 5) {
                    fencedLines.add(line.strip());
                }
            }
            lastFencedMs = recordMs;
        }
    }

    /** SIGTERM, as Ctrl-C: the service closes cleanly; forcibly after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
