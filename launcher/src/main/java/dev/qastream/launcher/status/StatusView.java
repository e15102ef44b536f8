package dev.qastream.launcher.status;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Renders snapshots as one screen of text; rates and the ETA come from the oldest snapshot in the window. */
public final class StatusView {
    private static final int BAR = 24;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private StatusView() {
    }

    /** @param earlier a snapshot some seconds before {@code now}, or null (then rates and the ETA show "-") */
    public static List<String> render(Snapshot now, Snapshot earlier) {
        List<String> out = new ArrayList<>();
        out.add("qastream status  " + TIME.format(Instant.ofEpochMilli(now.atMs())) + " UTC  " + now.where());
        out.add(String.format("%-18s %8s %8s  %s", "stage", "count", "queued", "progress"));
        out.add(row("documents", now.documents(), null, now));
        out.add(row("chunks", now.chunks(), g -> g.equals("qastream-router"), now));
        out.add(row("pairs generated", now.pairs(), g -> g.startsWith("qastream-generation-"), now));
        out.add(row("pairs scored", now.scored(), g -> g.equals("qastream-scoring"), now));
        out.add(String.format("%-18s %8s %8s  %s", "accepted", count(now.accepted()), "",
                now.scored() > 0 && now.accepted() >= 0 ? bar(now.accepted(), now.scored()) + " of scored" : ""));
        out.add(row("dataset", now.dataset(), g -> g.equals("qastream-sink"), now));
        out.add(String.format("%-18s %8s %8s  %s", "reviewed", count(now.reviewed()), "",
                now.scored() > 0 && now.reviewed() >= 0 ? bar(now.reviewed(), now.scored()) + " of scored (decisions)" : ""));
        out.add(String.format("%-18s %8s %8s  %s", "facts covered", count(now.factsCovered()), "",
                now.facts() > 0 ? bar(now.factsCovered(), now.facts()) + " of " + now.facts() + " facts (./pipeline coverage)" : ""));
        out.add("");
        out.add("lag        " + (now.lag().isEmpty() ? "- (no consumer group has committed yet)"
                : String.join(" | ", now.lag().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList())));
        long queued = now.lag().values().stream().mapToLong(Long::longValue).sum();
        double rate = rate(now, earlier, Snapshot::committed);
        double scoredRate = earlier == null ? Double.NaN
                : (now.scored() - earlier.scored()) * 1000.0 / Math.max(1, now.atMs() - earlier.atMs());
        out.add(String.format("throughput %s records/s processed, %s pairs/s scored", number(rate), number(scoredRate)));
        out.add("ETA        " + eta(queued, rate) + " (" + queued + " records queued)");
        out.add("tokens/s   " + tokens(now, earlier));
        out.add("dead letters " + count(now.deadLetters()) + " open   ingest errors " + count(now.ingestErrors()));
        out.add("set aside  " + setAside(now.stageDeadLetters()) + " (records a stage could not read or process)");
        return out;
    }

    private static String row(String name, long count, Predicate<String> groups, Snapshot s) {
        if (groups == null) {
            return String.format("%-18s %8s %8s", name, count(count), "-");
        }
        long queued = 0;
        long done = 0;
        boolean any = false;
        for (Map.Entry<String, Long> e : s.lag().entrySet()) {
            if (groups.test(e.getKey())) {
                any = true;
                queued += e.getValue();
                done += s.committed().getOrDefault(e.getKey(), 0L);
            }
        }
        return String.format("%-18s %8s %8s  %s", name, count(count), any ? String.valueOf(queued) : "-",
                any ? bar(done, done + queued) : "");
    }

    static String bar(long part, long whole) {
        double f = whole <= 0 ? 1 : Math.min(1, (double) part / whole);
        int filled = (int) Math.round(f * BAR);
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + Math.round(f * 100) + "%";
    }

    /** Per second, summed over the map's entries, between two snapshots. */
    private static double rate(Snapshot now, Snapshot earlier, java.util.function.Function<Snapshot, Map<String, Long>> f) {
        if (earlier == null || now.atMs() <= earlier.atMs()) {
            return Double.NaN;
        }
        long delta = 0;
        for (Map.Entry<String, Long> e : f.apply(now).entrySet()) {
            delta += e.getValue() - f.apply(earlier).getOrDefault(e.getKey(), e.getValue());
        }
        return Math.max(0, delta) * 1000.0 / (now.atMs() - earlier.atMs());
    }

    static String eta(long queued, double rate) {
        if (queued == 0) {
            return "done";
        }
        if (Double.isNaN(rate) || rate <= 0) {
            return "-";
        }
        Duration d = Duration.ofSeconds(Math.round(queued / rate));
        return d.toHours() > 0 ? String.format("%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }

    private static String tokens(Snapshot now, Snapshot earlier) {
        if (now.tokens().isEmpty()) {
            return "- (not reported by the running services)";
        }
        List<String> parts = new ArrayList<>();
        now.tokens().forEach((tierModel, total) -> {
            Double before = earlier == null ? null : earlier.tokens().get(tierModel);
            double perSecond = before == null ? Double.NaN : (total - before) * 1000.0 / Math.max(1, now.atMs() - earlier.atMs());
            parts.add(tierModel + " " + number(perSecond));
        });
        return String.join(" | ", parts);
    }

    /** Per stage dead-letter topic, pipeline order: "router.dlq 0 | scoring.dlq 2 | sink.dlq 0". */
    private static String setAside(Map<String, Long> perTopic) {
        return dev.qastream.runtime.kafka.Topics.STREAMS_DLQS.stream()
                .map(t -> t + " " + (perTopic.containsKey(t) ? count(perTopic.get(t)) : "-"))
                .collect(java.util.stream.Collectors.joining(" | "));
    }

    private static String count(long n) {
        return n < 0 ? "-" : String.valueOf(n);
    }

    private static String number(double d) {
        return Double.isNaN(d) ? "-" : String.format("%.1f", d);
    }
}
