package dev.qastream.scoring;

import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.JudgeRequest;
import dev.qastream.schemas.Judgement;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.util.Properties;

/**
 * The scoring topology on TopologyTestDriver, with the real embedding model, and its topics: chunks and pairs in,
 * scored pairs out, and the judge stage's side: its requests out, its verdicts in (and their prunes out).
 */
final class ScoringDriver implements AutoCloseable {
    private static final Topics TOPICS = Topics.withPlainAvro();

    final TopologyTestDriver driver;
    final TestInputTopic<String, Chunk> chunks;
    final TestInputTopic<String, QaPair> pairs;
    final TestOutputTopic<String, ScoredPair> scored;
    final TestOutputTopic<String, JudgeRequest> judgeRequests;
    final TestInputTopic<String, Judgement> verdicts;
    /** What the topology itself writes on scoring.judgements: tombstones of verdicts no pair needs. */
    final TestOutputTopic<String, Judgement> prunes;

    ScoringDriver(ScoringSettings settings) {
        this(scorer(settings, PairJudge.NONE), Batching.ONE_AT_A_TIME, new Properties());
    }

    ScoringDriver(PairScorer scorer, Batching batching, Properties props) {
        this(scorer, batching, props, ScoringListener.NONE);
    }

    ScoringDriver(PairScorer scorer, Batching batching, Properties props, ScoringListener listener) {
        driver = new TopologyTestDriver(ScoringTopology.build(TOPICS, scorer, listener, batching), props);
        chunks = driver.createInputTopic(Topics.INGEST_CHUNKS, TOPICS.chunks.keySerde().serializer(),
                TOPICS.chunks.valueSerde().serializer());
        pairs = driver.createInputTopic(Topics.GENERATION_PAIRS, TOPICS.pairs.keySerde().serializer(),
                TOPICS.pairs.valueSerde().serializer());
        scored = driver.createOutputTopic(Topics.SCORING_SCORED, TOPICS.scored.keySerde().deserializer(),
                TOPICS.scored.valueSerde().deserializer());
        judgeRequests = driver.createOutputTopic(Topics.SCORING_JUDGE_REQUESTS, TOPICS.judgeRequests.keySerde().deserializer(),
                TOPICS.judgeRequests.valueSerde().deserializer());
        verdicts = driver.createInputTopic(Topics.SCORING_JUDGEMENTS, TOPICS.judgements.keySerde().serializer(),
                TOPICS.judgements.valueSerde().serializer());
        prunes = driver.createOutputTopic(Topics.SCORING_JUDGEMENTS, TOPICS.judgements.keySerde().deserializer(),
                TOPICS.judgements.valueSerde().deserializer());
    }

    /** The pipeline's scorers with these settings and judge; the clock stands still at 7. */
    static PairScorer scorer(ScoringSettings settings, PairJudge judge) {
        return new PairScorer(new StructuralScorer(), new SemanticScorer(MiniLmEmbedder.shared(), settings.domain()),
                settings, judge, () -> 7L);
    }

    void send(Chunk chunk) {
        chunks.pipeInput(chunk.getChunkId(), chunk);
    }

    void send(QaPair pair) {
        pairs.pipeInput(pair.getPairKey(), pair);
    }

    @Override
    public void close() {
        driver.close();
    }
}
