package dev.qastream.launcher;

import dev.qastream.generation.worker.EmptyChunks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The generation lines of the batch summary, from the {@code qastream.generation.*} meters of this process:
 * chunks with zero usable pairs (by reason, and the first ids), model calls and tokens per tier and model,
 * cache hits, escalations.
 */
final class GenerationSummary {
    static final int NAMED_EMPTY_CHUNKS = 10;

    private GenerationSummary() {
    }

    static void print(MeterRegistry meters, List<EmptyChunks.Entry> recentEmpty, PrintStream out) {
        Map<String, Double> empty = sumBy(meters, "qastream.generation.empty", c -> c.getId().getTag("reason"));
        double emptyTotal = empty.values().stream().mapToDouble(Double::doubleValue).sum();
        out.printf("empty chunks   %6.0f with no usable pair%s%n", emptyTotal, empty.isEmpty() ? "" : ": " + empty.entrySet()
                .stream().map(e -> String.format("%.0f %s", e.getValue(), e.getKey())).collect(Collectors.joining(", ")));
        if (!recentEmpty.isEmpty()) {
            List<EmptyChunks.Entry> named = recentEmpty.subList(Math.max(0, recentEmpty.size() - NAMED_EMPTY_CHUNKS), recentEmpty.size());
            out.printf("               %s%s%n", named.stream().map(e -> e.chunkId() + " (" + e.tier() + ", " + e.reason() + ")")
                    .collect(Collectors.joining(", ")), recentEmpty.size() > named.size() ? ", ..." : "");
        }
        Map<String, Double> calls = sumBy(meters, "qastream.generation.requests", GenerationSummary::tierAndModel);
        Map<String, Double> tokensIn = sumBy(meters, "qastream.generation.tokens", c -> "in".equals(c.getId().getTag("direction")) ? tierAndModel(c) : null);
        Map<String, Double> tokensOut = sumBy(meters, "qastream.generation.tokens", c -> "out".equals(c.getId().getTag("direction")) ? tierAndModel(c) : null);
        if (calls.isEmpty()) {
            out.printf("model calls    %6d%n", 0);
        }
        String label = "model calls   ";
        for (Map.Entry<String, Double> e : calls.entrySet()) {
            out.printf("%s %6.0f %s, tokens %.0f in, %.0f out%n", label, e.getValue(), e.getKey(),
                    tokensIn.getOrDefault(e.getKey(), 0.0), tokensOut.getOrDefault(e.getKey(), 0.0));
            label = "              ";
        }
        Map<String, Double> cache = sumBy(meters, "qastream.generation.cache", c -> c.getId().getTag("result"));
        out.printf("cache          %6.0f hits, %.0f misses%n", cache.getOrDefault("hit", 0.0), cache.getOrDefault("miss", 0.0));
        Map<String, Double> escalations = sumBy(meters, "qastream.generation.escalations", c -> "from " + c.getId().getTag("from"));
        out.printf("escalations    %6.0f%s%n", escalations.values().stream().mapToDouble(Double::doubleValue).sum(),
                escalations.isEmpty() ? "" : " (" + escalations.entrySet().stream()
                        .map(e -> String.format("%.0f %s", e.getValue(), e.getKey())).collect(Collectors.joining(", ")) + ")");
    }

    private static String tierAndModel(Counter c) {
        return c.getId().getTag("tier") + " " + c.getId().getTag("model");
    }

    /** Counter totals of one meter name grouped by a key (null: left out), in key order; zero totals left out. */
    private static Map<String, Double> sumBy(MeterRegistry meters, String name, java.util.function.Function<Counter, String> key) {
        Map<String, Double> sums = new TreeMap<>();
        for (Counter c : meters.find(name).counters()) {
            String k = key.apply(c);
            if (k != null && c.count() > 0) {
                sums.merge(k, c.count(), Double::sum);
            }
        }
        return sums;
    }
}
