package dev.qastream.sink;

import dev.qastream.runtime.Terms;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.DatasetRecord;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.schemas.TermTiers;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

import java.time.Duration;


/**
 * scoring.scored + review.decisions -> dataset.pairs: an accepted pair becomes (or replaces) its conversation; a
 * rejected or removed pair that was in the dataset becomes a tombstone, so the compacted dataset holds exactly
 * the pairs accepted now, by their scores or by a person's decision on that very pair. Versioned: the newest revision per pair key wins ({@link DatasetMembership}).
 */
public final class SinkTopology {
    private SinkTopology() {
    }

    /** @param keepRemovals how long a removed pair's revision is remembered: as long as the topics keep a tombstone */
    public static Topology build(Topics topics, String systemPrompt, Duration keepRemovals) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(DatasetMembership.store());
        builder.addStateStore(DatasetMembership.pairsStore());
        builder.addStateStore(DatasetMembership.decisionsStore());
        // Both inputs are keyed by pair key and co-partitioned (TopicLayout), so one task sees a pair and its decision.
        KStream<String, SinkInput> scored = builder.stream(topics.scored.name(), topics.scored.consumed())
                .mapValues(SinkInput.Scored::new);
        KStream<String, SinkInput> decided = builder.stream(topics.reviewDecisions.name(), topics.reviewDecisions.consumed())
                .mapValues(SinkInput.Decided::new);
        scored.merge(decided)
                .process(() -> new DatasetMembership(pair -> toRecord(pair, systemPrompt), keepRemovals),
                        DatasetMembership.STORE, DatasetMembership.PAIRS_STORE, DatasetMembership.DECISIONS_STORE)
                .to(topics.dataset.name(), topics.dataset.produced());
        return builder.build();
    }

    static DatasetRecord toRecord(ScoredPair scored, String systemPrompt) {
        var pair = scored.getPair();
        TermTiers terms = scored.getTerms();
        return DatasetRecord.newBuilder()
                .setSystemPrompt(systemPrompt)
                .setQuestion(pair.getQuestion())
                .setAnswer(pair.getAnswer())
                .setFeatureName(scored.getDocument().getFeatureName())
                .setQualityScore(Math.round(scored.getOverall() * 1000) / 1000.0)
                .setTechnicalTerms(Terms.all(terms))
                .setSourceDocument(pair.getDocumentId())
                .setChunkId(pair.getChunkId())
                .setModel(pair.getModel())
                .setTier(pair.getTier())
                .setPromptVersion(pair.getPromptVersion())
                .setTier1ExactParams(terms.getTier1ExactParams().size())
                .setTier2ConfigTerms(terms.getTier2ConfigTerms().size())
                .setTier3NetworkElements(terms.getTier3NetworkElements().size())
                .setTier4RareTerms(terms.getTier4RareTerms().size())
                .setRevision(pair.getRevision())
                .setQuestionType(pair.getQuestionType())
                .setGeneratedAtMs(pair.getGeneratedAtMs())
                .setFlags(scored.getFlags())
                .build();
    }
}
