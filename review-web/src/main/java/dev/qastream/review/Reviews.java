package dev.qastream.review;

import dev.qastream.runtime.review.PairFingerprint;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ReviewDecision;
import dev.qastream.schemas.ReviewVerdict;

import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The actions a reviewer takes, written to review.decisions and applied to the store at once (the feed brings
 * the same record back later and the store ignores it). Two reviewers: the later record wins; the answer says
 * when the decision the page saw had changed meanwhile.
 */
public final class Reviews {
    /** Reasons offered for a rejection; free text is allowed too. */
    public static final List<String> REJECT_REASONS = List.of("wrong or unsupported answer", "not answerable from the source",
            "question unclear", "trivial or useless", "duplicate of another pair", "leaks formatting or markup");

    private final ReviewStore store;
    private final DecisionWriter writer;
    private final EditScorer scorer;
    private final String reviewer;
    private final LongSupplier clock;

    Reviews(ReviewStore store, DecisionWriter writer, EditScorer scorer, String reviewer, LongSupplier clock) {
        this.store = store;
        this.writer = writer;
        this.scorer = scorer;
        this.reviewer = reviewer;
        this.clock = clock;
    }

    /**
     * What an action did. {@code replaced}: the decision another reviewer made after the page loaded, which this
     * one replaced (null when the page was up to date). {@code needsConfirm}: an edit the scorer rejects, not kept
     * until confirmed.
     */
    public record Outcome(Decision decision, Decision replaced, EditScorer.Result editScore, boolean needsConfirm) {
    }

    /**
     * @param seenOffset the offset of the decision the page showed (-1: none)
     */
    public Outcome accept(String pairKey, long seenOffset) {
        PairRow pair = pair(pairKey);
        return write(pair, decision(pair, ReviewVerdict.ACCEPTED).build(), seenOffset, null);
    }

    public Outcome reject(String pairKey, String reason, long seenOffset) {
        PairRow pair = pair(pairKey);
        String why = reason == null || reason.isBlank() ? REJECT_REASONS.getFirst() : reason.strip();
        return write(pair, decision(pair, ReviewVerdict.REJECTED).setReason(why).build(), seenOffset, null);
    }

    /**
     * Scores the edit first; one the scorer rejects is kept only when {@code confirmed}, so the reviewer sees why
     * (e.g. a value the source contradicts) before it goes into the dataset.
     */
    public Outcome edit(String pairKey, String question, String answer, boolean confirmed, long seenOffset) {
        PairRow pair = pair(pairKey);
        if (question == null || question.isBlank() || answer == null || answer.isBlank()) {
            throw new IllegalArgumentException("an edited pair needs a question and an answer");
        }
        EditScorer.Result score = score(pair, question.strip(), answer.strip());
        if (score != null && !score.accepted() && !confirmed) {
            return new Outcome(null, null, score, true);
        }
        ReviewDecision.Builder d = decision(pair, ReviewVerdict.EDITED)
                .setEditedQuestion(question.strip()).setEditedAnswer(answer.strip());
        if (score != null) {
            d.setEditedScore(score.overall()).setEditedReasons(List.copyOf(score.reasons()));
        }
        return write(pair, d.build(), seenOffset, score);
    }

    /** Withdraws the pair's decision: a tombstone, so the pair counts as not reviewed again. */
    public Outcome undo(String pairKey, long seenOffset) {
        PairRow pair = pair(pairKey);
        return write(pair, null, seenOffset, null);
    }

    /** Accepts every borderline pair of the document that has no decision covering it; returns how many. */
    public int acceptBorderline(String documentId) {
        int n = 0;
        for (PairRow p : store.all(PairFilter.ALL.withBorderline().withReview("not-reviewed"))) {
            if (p.documentId().equals(documentId)) {
                write(p, decision(p, ReviewVerdict.ACCEPTED).build(), -2, null);
                n++;
            }
        }
        return n;
    }

    private EditScorer.Result score(PairRow pair, String question, String answer) {
        Optional<Chunk> chunk = store.chunkRecord(pair.chunkId());
        if (chunk.isEmpty()) {
            return null;
        }
        QaPair edited = QaPair.newBuilder().setPairKey(pair.pairKey()).setChunkId(pair.chunkId())
                .setDocumentId(pair.documentId()).setSlot(pair.slot()).setQuestion(question).setAnswer(answer)
                .setTier(pair.tier()).setBackend("review").setModel(pair.model()).setPromptVersion(pair.promptVersion())
                .setChunkChecksum(chunk.get().getChecksum()).setGeneratedAtMs(clock.getAsLong())
                .setRevision(pair.revision()).setQuestionType(pair.questionType()).build();
        return scorer.score(edited, chunk.get(), store.chunksOfDocument(pair.documentId()));
    }

    private ReviewDecision.Builder decision(PairRow pair, ReviewVerdict verdict) {
        return ReviewDecision.newBuilder().setPairKey(pair.pairKey()).setRevision(pair.revision())
                .setPairFingerprint(PairFingerprint.of(pair.question(), pair.answer())).setDecision(verdict)
                .setReviewer(reviewer).setDecidedAtMs(clock.getAsLong());
    }

    /** @param seenOffset -2: a bulk action, which saw no particular decision */
    private Outcome write(PairRow pair, ReviewDecision d, long seenOffset, EditScorer.Result score) {
        Decision before = store.decision(pair.pairKey()).orElse(null);
        long beforeOffset = before == null ? -1 : before.offset();
        long offset = writer.write(pair.pairKey(), d);
        store.putDecision(pair.pairKey(), d, offset);
        Decision now = store.decision(pair.pairKey()).filter(x -> !x.withdrawn()).orElse(null);
        Decision replaced = seenOffset != -2 && beforeOffset != seenOffset && before != null
                ? before : null;
        return new Outcome(now, replaced, score, false);
    }

    private PairRow pair(String pairKey) {
        return store.pair(pairKey).orElseThrow(() -> new IllegalArgumentException("no pair " + pairKey));
    }
}
