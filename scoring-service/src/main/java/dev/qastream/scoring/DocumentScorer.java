package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores pairs against one document without Kafka, with the same scorers and the same deduplication as the
 * pipeline: each pair is matched to the document's best chunk (the one holding the parameters it names, then
 * the closest by embedding), texts are embedded in batches, and the pairs are deduplicated by the pipeline's rule
 * (of duplicates the best by score is kept, then the one of the smaller pair key, "line N").
 */
public final class DocumentScorer {
    private final PairScorer scorer;
    private final List<Chunk> chunks;
    private final Catalogue catalogue;
    private final List<float[]> chunkVectors;

    public DocumentScorer(PairScorer scorer, List<Chunk> chunks, Catalogue catalogue) {
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("the document has no chunks to score against");
        }
        this.scorer = scorer;
        this.chunks = List.copyOf(chunks);
        this.catalogue = catalogue;
        this.chunkVectors = scorer.semantic().chunkVectors(chunks.stream().map(Chunk::getText).toList());
    }

    /** A question and answer to score; {@code questionType} may be null. */
    public record Input(String question, String answer, String questionType) {
    }

    /**
     * Scores every input; the result is in input order.
     *
     * @param dedup whether pairs are checked against each other
     */
    public List<ScoredPair> score(List<Input> inputs, boolean dedup) {
        List<String> texts = new ArrayList<>(inputs.size() * 2);
        for (Input in : inputs) {
            texts.add(in.question());
            texts.add(in.answer());
        }
        List<float[]> vectors = texts.isEmpty() ? List.of() : scorer.semantic().embedder().embed(texts);
        Deduplicator deduplicator = new Deduplicator(scorer.settings().nearDuplicate(), scorer.settings().pairsPerFact());
        Deduplicator.Store store = Deduplicator.inMemory();
        List<String> keys = new ArrayList<>(inputs.size());
        Map<String, ScoredPair> latest = new HashMap<>(); // a pair beaten by a later one is written again
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            SemanticScorer.PairVectors v = new SemanticScorer.PairVectors(vectors.get(2 * i), vectors.get(2 * i + 1));
            int best = bestChunk(in, v.pair());
            Chunk chunk = chunks.get(best);
            QaPair pair = QaPair.newBuilder()
                    .setPairKey("line " + (i + 1)).setChunkId(chunk.getChunkId())
                    .setDocumentId(chunk.getDocumentId()).setSlot(i).setQuestion(in.question()).setAnswer(in.answer())
                    .setTier("").setBackend("file").setModel("").setPromptVersion("").setChunkChecksum(chunk.getChecksum())
                    .setGeneratedAtMs(0).setQuestionType(in.questionType()).build();
            Scored s = scorer.score(pair, chunk, catalogue, v, chunkVectors.get(best));
            if (dedup) {
                deduplicator.apply(chunk.getDocumentId(), pair.getPairKey(), s, null, store)
                        .forEach(e -> latest.put(e.pairKey(), e.scored()));
            } else {
                latest.put(pair.getPairKey(), s.scored());
            }
            keys.add(pair.getPairKey());
        }
        return keys.stream().map(latest::get).toList();
    }

    /** The chunk holding most of the names the pair uses; among those, the closest by embedding. */
    private int bestChunk(Input in, float[] pairVector) {
        Set<String> names = Scored.names(in.question() + "\n" + in.answer());
        int best = 0;
        int bestNames = -1;
        double bestCos = -2;
        for (int c = 0; c < chunks.size(); c++) {
            Chunk chunk = chunks.get(c);
            int held = 0;
            for (String n : names) {
                if (chunk.getText() != null && chunk.getText().contains(n)) {
                    held++;
                }
            }
            double cos = Vectors.cosine(pairVector, chunkVectors.get(c));
            if (held > bestNames || (held == bestNames && cos > bestCos)) {
                best = c;
                bestNames = held;
                bestCos = cos;
            }
        }
        return best;
    }
}
