package dev.qastream.launcher.bench;

import dev.qastream.review.Page;
import dev.qastream.review.PairFilter;
import dev.qastream.review.ReviewStore;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.schemas.TermTiers;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The review workbench's store with many pairs: how long they take to load, and how long a page takes at the start,
 * at the end and under a narrow filter (the queries the page makes), beside the same with a hundred pairs.
 */
public final class ReviewBench {
    private final int pairs;
    private final int rounds;
    private final PrintStream out;

    public ReviewBench(int pairs, int rounds, PrintStream out) {
        this.pairs = pairs;
        this.rounds = rounds;
        this.out = out;
    }

    public void run() {
        out.println("pairs: " + pairs);
        measure("small", 100);
        measure("large", pairs);
    }

    private void measure(String name, int n) {
        try (ReviewStore store = new ReviewStore(0.75)) {
            long t0 = System.nanoTime();
            for (int from = 0; from < n; from += 1000) {
                int start = from;
                store.inOneTransaction(() -> {
                    for (int i = start; i < Math.min(n, start + 1000); i++) {
                        QaPair p = pair(i);
                        store.putScored(p.getPairKey(), scored(p, (i % 100) / 100.0, i % 3 == 0));
                    }
                });
            }
            out.printf("%s_load_ms: %d%n", name, (System.nanoTime() - t0) / 1_000_000);
            PairFilter narrow = new PairFilter("doc4*", null, null, null, "accepted", null, null, null, true,
                    "not-reviewed", "timers");
            List<Long> first = new ArrayList<>();
            List<Long> last = new ArrayList<>();
            List<Long> filtered = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                first.add(timed(() -> store.page(PairFilter.ALL, 0, 50)));
                last.add(timed(() -> store.page(PairFilter.ALL, Math.max(0, n - 50), 50)));
                filtered.add(timed(() -> store.page(narrow, 0, 50)));
            }
            out.printf("%s_first_page_ms: %.1f%n%s_last_page_ms: %.1f%n%s_filtered_page_ms: %.1f%n",
                    name, median(first), name, median(last), name, median(filtered));
        }
    }

    private static long timed(java.util.function.Supplier<Page> query) {
        long t0 = System.nanoTime();
        query.get();
        return System.nanoTime() - t0;
    }

    private static double median(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2) / 1e6;
    }

    private static QaPair pair(int i) {
        String doc = "doc" + (i % 500) + ".md";
        String chunk = doc + "#" + (i / 500);
        return QaPair.newBuilder().setPairKey(chunk + "#0").setChunkId(chunk).setDocumentId(doc).setSlot(0)
                .setQuestion("question " + i + " about timers").setAnswer("answer " + i).setTier("fast").setBackend("bench")
                .setModel("m").setPromptVersion("v").setChunkChecksum("c").setGeneratedAtMs(1).setRevision(1).build();
    }

    private static ScoredPair scored(QaPair pair, double overall, boolean accepted) {
        return ScoredPair.newBuilder().setPair(pair).setStructural(overall).setOverall(overall).setAccepted(accepted)
                .setDocument(DocumentInfo.newBuilder().build()).setTerms(TermTiers.newBuilder().build())
                .setScoredAtMs(1).build();
    }
}
