package dev.qastream.scoring;

import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScoringTopologyTest {
    private final Topics topics = Topics.withPlainAvro();
    private TopologyTestDriver driver;
    private TestInputTopic<String, Chunk> chunks;
    private TestInputTopic<String, QaPair> pairs;
    private TestOutputTopic<String, ScoredPair> scored;

    @BeforeEach
    void setUp() {
        PairScorer scorer = new PairScorer(new StructuralScorer(), AcceptancePolicy.defaults(), () -> 7L);
        driver = new TopologyTestDriver(ScoringTopology.build(topics, scorer::score));
        chunks = driver.createInputTopic(Topics.INGEST_CHUNKS, topics.chunks.keySerde().serializer(),
                topics.chunks.valueSerde().serializer());
        pairs = driver.createInputTopic(Topics.GENERATION_PAIRS, topics.pairs.keySerde().serializer(),
                topics.pairs.valueSerde().serializer());
        scored = driver.createOutputTopic(Topics.SCORING_SCORED, topics.scored.keySerde().deserializer(),
                topics.scored.valueSerde().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void scoresEveryPairAgainstItsChunkKeyedByPairKey() {
        // Given the chunk and two pairs made from it, one well formed and one broken
        Chunk chunk = StructuralScorerTest.chunk();
        chunks.pipeInput(chunk.getChunkId(), chunk);
        QaPair good = StructuralScorerTest.pair("What is the default value of EUtranCellFDD.ulPowerBoostEnabled?",
                "The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled).");
        QaPair broken = QaPair.newBuilder(StructuralScorerTest.pair("default", "")).setPairKey("ran/boost.md#0#1")
                .setSlot(1).build();
        pairs.pipeInput(good.getPairKey(), good);
        pairs.pipeInput(broken.getPairKey(), broken);

        // Then both come out, keyed by pair key, with the chunk's metadata and a verdict with reasons
        List<KeyValue<String, ScoredPair>> out = scored.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly("ran/boost.md#0#0", "ran/boost.md#0#1");
        ScoredPair accepted = out.get(0).value;
        assertThat(accepted.getAccepted()).isTrue();
        assertThat(accepted.getOverall()).isGreaterThanOrEqualTo(0.75);
        assertThat(accepted.getDocument().getFeatureName()).isEqualTo("Adaptive Uplink Power Boost");
        assertThat(accepted.getTerms().getTier1ExactParams()).contains("EUtranCellFDD.ulPowerBoostEnabled");
        ScoredPair rejected = out.get(1).value;
        assertThat(rejected.getAccepted()).isFalse();
        assertThat(rejected.getReasons()).isNotEmpty();
    }

    @Test
    void rejectsPairsOfRemovedOrChangedChunksAndPassesTombstonesOn() {
        // Given a pair whose chunk has since changed, and one whose chunk is gone
        Chunk chunk = Chunk.newBuilder(StructuralScorerTest.chunk()).setChecksum("newer").build();
        chunks.pipeInput(chunk.getChunkId(), chunk);
        QaPair stale = StructuralScorerTest.pair("What is the default value of EUtranCellFDD.ulPowerBoostEnabled?",
                "The default value of EUtranCellFDD.ulPowerBoostEnabled is false.");
        QaPair orphan = QaPair.newBuilder(stale).setPairKey("gone.md#0#0").setChunkId("gone.md#0").build();
        pairs.pipeInput(stale.getPairKey(), stale);
        pairs.pipeInput(orphan.getPairKey(), orphan);
        // and a removed pair
        pairs.pipeInput("ran/boost.md#0#5", null);

        // Then the first two are rejected with the reason, and the removal is passed on
        List<KeyValue<String, ScoredPair>> out = scored.readKeyValuesToList();
        assertThat(out).hasSize(3);
        assertThat(out).filteredOn(kv -> kv.value != null).allSatisfy(kv -> assertThat(kv.value.getAccepted()).isFalse());
        assertThat(out).anySatisfy(kv -> assertThat(kv.value.getReasons()).anyMatch(r -> r.contains("older version")));
        assertThat(out).anySatisfy(kv -> assertThat(kv.value.getReasons()).anyMatch(r -> r.contains("no longer exists")));
        assertThat(out).anySatisfy(kv -> {
            assertThat(kv.key).isEqualTo("ran/boost.md#0#5");
            assertThat(kv.value).isNull();
        });
    }
}
