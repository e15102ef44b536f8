package dev.qastream.scoring;

import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.util.Properties;

/** The scoring topology on TopologyTestDriver, with the real embedding model, and its three topics. */
final class ScoringDriver implements AutoCloseable {
    private static final Topics TOPICS = Topics.withPlainAvro();

    final TopologyTestDriver driver;
    final TestInputTopic<String, Chunk> chunks;
    final TestInputTopic<String, QaPair> pairs;
    final TestOutputTopic<String, ScoredPair> scored;

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
