package dev.qastream.launcher.report;

import dev.qastream.runtime.review.PairFingerprint;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DatasetRecord;
import dev.qastream.schemas.DeadLetter;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.DocumentRecord;
import dev.qastream.schemas.DocumentStatus;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.IngestError;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ReviewDecision;
import dev.qastream.schemas.ReviewVerdict;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.schemas.TermTiers;

import java.util.List;

/** Topic records for report tests, with only the fields a test cares about as parameters. */
final class Records {
    private Records() {
    }

    static DocumentRecord document(String id, DocumentStatus status, int chunks, long updatedAtMs) {
        return DocumentRecord.newBuilder().setDocumentId(id).setChecksum("c-" + id).setStatus(status).setFormat("markdown")
                .setSizeBytes(1000).setChunkChecksums(java.util.Collections.nCopies(chunks, "x"))
                .setDocument(DocumentInfo.newBuilder().setTitle(id).build()).setUpdatedAtMs(updatedAtMs).build();
    }

    static QaPair pair(String key, String documentId, String tier, String model, String promptVersion,
                       String questionType, long generatedAtMs, boolean removed) {
        return QaPair.newBuilder().setPairKey(key).setChunkId(key.substring(0, key.lastIndexOf('#')))
                .setDocumentId(documentId).setSlot(0).setQuestion(removed ? "" : "What is the default value of X.y?")
                .setAnswer(removed ? "" : "The default value of X.y is 3.").setTier(tier).setBackend("builtin")
                .setModel(model).setPromptVersion(promptVersion).setChunkChecksum("sum").setGeneratedAtMs(generatedAtMs)
                .setRemoved(removed).setQuestionType(questionType).build();
    }

    static ScoredPair scored(QaPair pair, double overall, Double coherence, boolean accepted, List<String> reasons,
                             List<String> flags, long scoredAtMs) {
        return ScoredPair.newBuilder().setPair(pair).setStructural(Math.min(1, overall + 0.05)).setCoherence(coherence)
                .setRelevance(coherence == null ? null : Math.max(0, coherence - 0.1)).setAccuracy(null)
                .setOverall(overall).setAccepted(accepted).setReasons(reasons)
                .setDocument(DocumentInfo.newBuilder().build()).setTerms(TermTiers.newBuilder().build())
                .setScoredAtMs(scoredAtMs).setFlags(flags).build();
    }

    /** A document's coverage, one uncovered fact (with this reason) when facts exceed covered. */
    static dev.qastream.schemas.DocumentCoverage coverage(String documentId, int facts, int covered, double diversity,
                                                           String reason) {
        List<dev.qastream.schemas.UncoveredFact> uncovered = facts > covered && reason != null
                ? List.of(dev.qastream.schemas.UncoveredFact.newBuilder().setFactId(documentId + "#0|parameter.default|X.y")
                        .setKind("parameter.default").setSubject("X.y").setValue("3").setText("the default value of X.y")
                        .setReason(reason).build())
                : List.of();
        return dev.qastream.schemas.DocumentCoverage.newBuilder().setDocumentId(documentId).setFacts(facts).setCovered(covered)
                .setKinds(List.of(dev.qastream.schemas.KindCoverage.newBuilder().setKind("parameter.default").setFacts(facts)
                        .setCovered(covered).build()))
                .setUncovered(uncovered).setAcceptedPairs(covered).setDiversity(diversity).build();
    }

    static DatasetRecord datasetRecord(String documentId, String featureName, String questionType, int exactParams) {
        return DatasetRecord.newBuilder().setSystemPrompt("s").setQuestion("q?").setAnswer("a").setFeatureName(featureName)
                .setQualityScore(0.9).setTechnicalTerms(exactParams > 0 ? List.of("X.y") : List.of())
                .setSourceDocument(documentId).setChunkId(documentId + "#0").setModel("qwen3:8b").setTier("balanced")
                .setPromptVersion("qa-v1").setTier1ExactParams(exactParams).setTier2ConfigTerms(0)
                .setTier3NetworkElements(0).setTier4RareTerms(0).setQuestionType(questionType).setGeneratedAtMs(5).build();
    }

    static DeadLetter deadLetter(String chunkId, String tier, String reason, List<String> tiersTried) {
        Chunk chunk = Chunk.newBuilder().setChunkId(chunkId).setDocumentId(chunkId.substring(0, chunkId.indexOf('#')))
                .setOrdinal(0).setText("t").setChecksum("c").setTokenEstimate(1).setComplexity(0.5)
                .setDocument(DocumentInfo.newBuilder().build()).setTerms(TermTiers.newBuilder().build())
                .setQuality(ChunkQuality.newBuilder().build()).build();
        return DeadLetter.newBuilder().setRequest(GenerationRequest.newBuilder().setTier(tier).setChunk(chunk)
                        .setRoutedAtMs(1).build())
                .setReason(reason).setAttempts(3).setFailedAtMs(9).setTiersTried(tiersTried).build();
    }

    /** A person's decision on the pair {@link #pair} makes under {@code key} (revision 0, its text). */
    static ReviewDecision decision(String key, ReviewVerdict verdict) {
        return ReviewDecision.newBuilder().setPairKey(key).setRevision(0)
                .setPairFingerprint(PairFingerprint.of("What is the default value of X.y?", "The default value of X.y is 3."))
                .setDecision(verdict).setEditedAnswer(verdict == ReviewVerdict.EDITED ? "It is 3." : null)
                .setReviewer("ana").setDecidedAtMs(1).build();
    }

    static IngestError ingestError(String path, String reason) {
        return IngestError.newBuilder().setPath(path).setReason(reason).setOccurredAtMs(7).build();
    }
}
