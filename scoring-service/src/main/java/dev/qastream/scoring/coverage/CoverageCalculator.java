package dev.qastream.scoring.coverage;

import dev.qastream.schemas.CoverageChunkState;
import dev.qastream.schemas.CoveragePairState;
import dev.qastream.schemas.DocumentCoverage;
import dev.qastream.schemas.Fact;
import dev.qastream.schemas.KindCoverage;
import dev.qastream.schemas.UncoveredFact;
import dev.qastream.scoring.QuestionTypes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A document's coverage from its chunks (with their facts) and the latest scored version of each of its pairs:
 * a fact is covered when an accepted pair made from the chunk as it is now confirms it. Pure and deterministic:
 * the same chunks and pairs give the same record, whatever order they came in.
 */
public final class CoverageCalculator {
    public static final String NEVER_ANSWERED = "never answered";
    public static final String ANSWERED_WRONGLY = "answered wrongly";
    public static final String REJECTED = "rejected";

    private CoverageCalculator() {
    }

    /** Pairs made from the chunk as it is now: older versions of a pair's chunk teach nothing about this one. */
    public static List<CoveragePairState> current(List<CoverageChunkState> chunks, List<CoveragePairState> pairs) {
        Map<String, String> checksums = new HashMap<>();
        chunks.forEach(c -> checksums.put(c.getChunk().getChunkId(), c.getChunk().getChecksum()));
        return pairs.stream().filter(p -> p.getChunkChecksum().equals(checksums.get(p.getChunkId()))).toList();
    }

    /**
     * Fact ids of the chunks that an accepted current pair confirms. A fact that several chunks of the document state
     * (the same kind, subject and value: a table split across two chunks) is taught once: a pair of either covers
     * both copies, since deduplication rejects the second pair that would state it.
     */
    public static Set<String> covered(List<CoverageChunkState> chunks, List<CoveragePairState> current) {
        Set<String> confirmed = new TreeSet<>();
        current.stream().filter(CoveragePairState::getAccepted).forEach(p -> confirmed.addAll(p.getConfirmedFacts()));
        List<Fact> facts = new ArrayList<>();
        chunks.forEach(c -> facts.addAll(c.getFacts()));
        Set<String> taught = new TreeSet<>();
        facts.stream().filter(f -> confirmed.contains(f.getFactId())).forEach(f -> taught.add(sameness(f)));
        Set<String> out = new TreeSet<>(confirmed);
        facts.stream().filter(f -> taught.contains(sameness(f))).forEach(f -> out.add(f.getFactId()));
        return out;
    }

    /** What makes two chunks' facts the same fact of their document. */
    private static String sameness(Fact f) {
        return f.getKind() + "|" + f.getSubject() + "|" + (f.getValue() == null ? "" : f.getValue());
    }

    public static DocumentCoverage compute(String documentId, List<CoverageChunkState> chunks, List<CoveragePairState> pairs) {
        List<CoveragePairState> current = new ArrayList<>(current(chunks, pairs));
        current.sort(Comparator.comparing(CoveragePairState::getPairKey));
        Set<String> covered = covered(chunks, current);
        List<Fact> facts = new ArrayList<>();
        chunks.forEach(c -> facts.addAll(c.getFacts()));
        facts.sort(Comparator.comparing(Fact::getFactId));

        Map<String, int[]> kinds = new TreeMap<>();
        List<UncoveredFact> uncovered = new ArrayList<>();
        int coveredCount = 0;
        for (Fact f : facts) {
            int[] k = kinds.computeIfAbsent(f.getKind(), x -> new int[2]);
            k[0]++;
            if (covered.contains(f.getFactId())) {
                k[1]++;
                coveredCount++;
            } else {
                uncovered.add(uncovered(f, current));
            }
        }
        Map<String, Integer> types = new TreeMap<>();
        int accepted = 0;
        for (CoveragePairState p : current) {
            if (p.getAccepted()) {
                accepted++;
                types.merge(p.getQuestionType() == null ? "factual" : p.getQuestionType(), 1, Integer::sum);
            }
        }
        int followUps = chunks.stream().mapToInt(CoverageChunkState::getFollowUpRounds).sum();
        return DocumentCoverage.newBuilder()
                .setDocumentId(documentId)
                .setFacts(facts.size())
                .setCovered(coveredCount)
                .setKinds(kinds.entrySet().stream().map(e -> KindCoverage.newBuilder().setKind(e.getKey())
                        .setFacts(e.getValue()[0]).setCovered(e.getValue()[1]).build()).toList())
                .setUncovered(uncovered)
                .setAcceptedPairs(accepted)
                .setQuestionTypes(new TreeMap<>(types))
                .setDiversity(Diversity.of(types, QuestionTypes.TYPES.size()))
                .setFollowUps(followUps)
                .build();
    }

    /** Why a fact is not covered: a rejected pair that stated it, else a pair that stated something else, else none. */
    static UncoveredFact uncovered(Fact f, List<CoveragePairState> current) {
        String reason = NEVER_ANSWERED;
        String detail = null;
        for (CoveragePairState p : current) {
            if (!p.getAccepted() && p.getConfirmedFacts().contains(f.getFactId())) {
                reason = REJECTED;
                detail = p.getPairKey() + ": " + (p.getRejection() == null ? "rejected" : p.getRejection());
                break;
            }
        }
        if (detail == null) {
            for (CoveragePairState p : current) {
                String said = p.getContradictions().get(f.getFactId());
                if (said != null) {
                    reason = ANSWERED_WRONGLY;
                    detail = p.getPairKey() + ": answer says " + said + "; the document says " + f.getValue();
                    break;
                }
            }
        }
        return UncoveredFact.newBuilder().setFactId(f.getFactId()).setKind(f.getKind()).setSubject(f.getSubject())
                .setValue(f.getValue()).setText(f.getText()).setReason(reason).setDetail(detail).build();
    }
}
