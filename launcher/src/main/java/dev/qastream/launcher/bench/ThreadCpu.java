package dev.qastream.launcher.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time per group of threads between two snapshots, so a benchmark can say where time went
 * (parsers, the publishing thread, the producer, the in-process broker); what no Java thread
 * accounts for is the JVM's own work: garbage collection and JIT compilation.
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> start = snapshot();
    private final Map<Long, String> names = new HashMap<>();
    private final long processStart = processCpu();

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Seconds of CPU per group since construction, plus "jvm (gc, jit)" for the rest of the process. */
    Map<String, Double> secondsByGroup() {
        Map<Long, Long> end = snapshot();
        Map<String, Double> groups = new TreeMap<>();
        long accounted = 0;
        for (Map.Entry<Long, Long> e : end.entrySet()) {
            long delta = e.getValue() - start.getOrDefault(e.getKey(), 0L);
            if (delta > 0) {
                accounted += delta;
                groups.merge(group(names.getOrDefault(e.getKey(), "?")), delta / 1e9, Double::sum);
            }
        }
        groups.put("jvm (gc, jit)", Math.max(0, processCpu() - processStart - accounted) / 1e9);
        return groups;
    }

    private Map<Long, Long> snapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null) {
                long t = THREADS.getThreadCpuTime(info.getThreadId());
                if (t >= 0) {
                    cpu.put(info.getThreadId(), t);
                    if (names != null) {
                        names.put(info.getThreadId(), info.getThreadName());
                    }
                }
            }
        }
        return cpu;
    }

    private static String group(String thread) {
        if (thread.startsWith("ingest-parser")) {
            return "parsers";
        }
        if (thread.equals("main")) {
            return "publishing (serialize, send, commit)";
        }
        if (thread.startsWith("kafka-producer-network-thread")) {
            return "producer sender (compress, network)";
        }
        if (thread.startsWith("data-plane") || thread.startsWith("kafka") || thread.contains("controller")
                || thread.startsWith("TxnMarker") || thread.contains("Replica") || thread.contains("log-")
                || thread.contains("Log") || thread.contains("raft") || thread.contains("group-coordinator")
                || thread.contains("transaction")) {
            return "broker";
        }
        return "other";
    }
}
