package dev.qastream.review;

import dev.qastream.runtime.review.PairFingerprint;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DocumentCoverage;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ReviewDecision;
import dev.qastream.schemas.ReviewVerdict;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.schemas.TermTiers;
import dev.qastream.schemas.UncoveredFact;

import java.util.List;

/** Topic records for the store's tests. */
final class Records {
    private Records() {
    }

    static QaPair pair(String document, int slot, String question, String answer, String tier, String model,
                       String prompt, long revision) {
        String chunk = document + "#0";
        return QaPair.newBuilder().setPairKey(chunk + "#" + slot).setChunkId(chunk).setDocumentId(document).setSlot(slot)
                .setQuestion(question).setAnswer(answer).setTier(tier).setBackend("sim").setModel(model)
                .setPromptVersion(prompt).setChunkChecksum("c").setGeneratedAtMs(1).setRevision(revision).build();
    }

    static ScoredPair scored(QaPair pair, double overall, boolean accepted, String... reasons) {
        return ScoredPair.newBuilder().setPair(pair).setStructural(overall).setOverall(overall).setAccepted(accepted)
                .setReasons(List.of(reasons)).setDocument(DocumentInfo.newBuilder().build())
                .setTerms(TermTiers.newBuilder().build()).setScoredAtMs(1).build();
    }

    static Chunk chunk(String document, String text) {
        return Chunk.newBuilder().setChunkId(document + "#0").setDocumentId(document).setOrdinal(0).setText(text)
                .setChecksum("c").setTokenEstimate(10).setComplexity(0.5).setDocument(DocumentInfo.newBuilder().build())
                .setTerms(TermTiers.newBuilder().build()).setQuality(ChunkQuality.newBuilder().build()).build();
    }

    static ReviewDecision decision(QaPair pair, ReviewVerdict verdict, String reviewer) {
        return ReviewDecision.newBuilder().setPairKey(pair.getPairKey()).setRevision(pair.getRevision())
                .setPairFingerprint(PairFingerprint.of(pair.getQuestion(), pair.getAnswer())).setDecision(verdict)
                .setReviewer(reviewer).setDecidedAtMs(1).build();
    }

    /** A record of coverage.documents as the coverage stage writes it. */
    static DocumentCoverage coverage(String document, int facts, int covered, double diversity, UncoveredFact... uncovered) {
        return DocumentCoverage.newBuilder().setDocumentId(document).setFacts(facts).setCovered(covered)
                .setUncovered(List.of(uncovered)).setAcceptedPairs(covered).setDiversity(diversity).build();
    }

    static UncoveredFact uncovered(String factId, String text, String value, String reason, String detail) {
        return UncoveredFact.newBuilder().setFactId(factId).setKind("default").setSubject("s").setValue(value)
                .setText(text).setReason(reason).setDetail(detail).build();
    }
}
