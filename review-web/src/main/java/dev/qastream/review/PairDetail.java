package dev.qastream.review;

import java.util.List;

/**
 * One pair as the detail pane shows it: beside its source chunk (null blocks when the chunk is not on
 * ingest.chunks), the pair it duplicates, the other pairs of its chunk and, when the pair changed since its
 * decision, the text decided on against the text now (null when the topic no longer holds the old text), and
 * its document's coverage (null when coverage.documents has none for it).
 */
public record PairDetail(PairRow pair, List<ChunkView.Block> blocks, String section, PairRow duplicate,
                         List<PairRow> siblings, List<TextDiff.Part> questionDiff, List<TextDiff.Part> answerDiff,
                         double acceptThreshold, List<String> rejectReasons, Coverage coverage) {

    static PairDetail of(ReviewStore store, PairRow pair) {
        var chunk = store.chunk(pair.chunkId());
        List<ChunkView.Block> blocks = chunk.map(c -> ChunkView.of(c[0], pair.answer())).orElse(null);
        PairRow duplicate = pair.duplicateOf() == null ? null : store.pair(pair.duplicateOf()).orElse(null);
        List<PairRow> siblings = store.pairsOfChunk(pair.chunkId()).stream()
                .filter(p -> !p.pairKey().equals(pair.pairKey())).toList();
        List<TextDiff.Part> qDiff = null;
        List<TextDiff.Part> aDiff = null;
        if (pair.changedSinceReview()) {
            var old = store.text(pair.pairKey(), pair.decision().fingerprint());
            if (old.isPresent()) {
                qDiff = TextDiff.of(old.get()[0], pair.question());
                aDiff = TextDiff.of(old.get()[1], pair.answer());
            }
        }
        return new PairDetail(pair, blocks, chunk.map(c -> c[1]).orElse(""), duplicate, siblings, qDiff, aDiff,
                store.acceptThreshold(), Reviews.REJECT_REASONS,
                store.coverage(pair.documentId()).orElse(null));
    }

    public boolean borderline() {
        return Math.abs(pair.overall() - acceptThreshold) <= ReviewStore.BORDERLINE_BAND + 1e-9;
    }

    public long seenOffset() {
        return pair.decision() == null ? -1 : pair.decision().offset();
    }

    /** A score for display: two decimals, or a dash when not computed. */
    public static String fmt(Double v) {
        return v == null ? "–" : String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
