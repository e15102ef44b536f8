package dev.qastream.generation.router;

import dev.qastream.generation.TestChunks;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.QaPair;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterTopologyTest {
    private final Topics topics = Topics.withPlainAvro();
    private TopologyTestDriver driver;
    private TestInputTopic<String, Chunk> chunks;
    private Map<String, TestOutputTopic<String, GenerationRequest>> requests;

    @BeforeEach
    void setUp() {
        driver = new TopologyTestDriver(RouterTopology.build(topics, new TierRouting(0.3, 0.7), 3, () -> 42L));
        chunks = driver.createInputTopic(Topics.INGEST_CHUNKS, topics.chunks.keySerde().serializer(),
                topics.chunks.valueSerde().serializer());
        requests = Map.of(
                "fast", output("fast"), "balanced", output("balanced"), "quality", output("quality"));
    }

    private TestOutputTopic<String, GenerationRequest> output(String tier) {
        return driver.createOutputTopic(Topics.requestTopic(tier), topics.request(tier).keySerde().deserializer(),
                topics.request(tier).valueSerde().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void routesEachChunkToTheTierOfItsComplexity() {
        // Given chunks on both sides of each threshold
        chunks.pipeInput("doc.md#0", TestChunks.chunk("doc.md#0", 0.0));
        chunks.pipeInput("doc.md#1", TestChunks.chunk("doc.md#1", 0.29));
        chunks.pipeInput("doc.md#2", TestChunks.chunk("doc.md#2", 0.3));
        chunks.pipeInput("doc.md#3", TestChunks.chunk("doc.md#3", 0.69));
        chunks.pipeInput("doc.md#4", TestChunks.chunk("doc.md#4", 0.7));
        chunks.pipeInput("doc.md#5", TestChunks.chunk("doc.md#5", 1.0));

        // Then each lands on exactly one tier topic, keyed by chunk id, carrying its chunk
        assertThat(keys(requests.get("fast"))).containsExactly("doc.md#0", "doc.md#1");
        assertThat(keys(requests.get("balanced"))).containsExactly("doc.md#2", "doc.md#3");
        List<GenerationRequest> quality = requests.get("quality").readValuesToList();
        assertThat(quality).extracting(r -> r.getChunk().getChunkId()).containsExactly("doc.md#4", "doc.md#5");
        assertThat(quality).allSatisfy(r -> {
            assertThat(r.getTier()).isEqualTo("quality");
            assertThat(r.getRoutedAtMs()).isEqualTo(42L);
        });
    }

    @Test
    void everyRequestCarriesTheOffsetOfItsChunkRecordAsRevision() {
        // Given a chunk, another chunk, and a new revision of the first
        chunks.pipeInput("doc.md#0", TestChunks.chunk("doc.md#0", 0.1));
        chunks.pipeInput("doc.md#1", TestChunks.chunk("doc.md#1", 0.1));
        chunks.pipeInput("doc.md#0", TestChunks.chunk("doc.md#0", 0.9));

        // Then each request's revision is its record's offset on ingest.chunks, whatever tier it went to
        assertThat(requests.get("fast").readValuesToList()).extracting(GenerationRequest::getRevision)
                .containsExactly(0L, 1L);
        assertThat(requests.get("quality").readValuesToList()).extracting(GenerationRequest::getRevision)
                .containsExactly(2L);
    }

    @Test
    void removedChunkRemovesEveryPairSlotWithVersionedRemovalsInsteadOfAskingForGeneration() {
        // Given a chunk was added, then removed
        TestOutputTopic<String, QaPair> pairs = driver.createOutputTopic(Topics.GENERATION_PAIRS,
                topics.pairs.keySerde().deserializer(), topics.pairs.valueSerde().deserializer());
        chunks.pipeInput("lte/doc.md#0", TestChunks.chunk("lte/doc.md#0", 0.1));
        chunks.pipeInput("lte/doc.md#0", null);

        // Then only the first is sent for generation, and each pair slot gets a removal record, not a null
        assertThat(requests.get("fast").readValuesToList()).hasSize(1);
        List<KeyValue<String, QaPair>> removed = pairs.readKeyValuesToList();
        assertThat(removed).extracting(kv -> kv.key).containsExactly("lte/doc.md#0#0", "lte/doc.md#0#1", "lte/doc.md#0#2");
        assertThat(removed).allSatisfy(kv -> {
            assertThat(kv.value).isNotNull();
            assertThat(kv.value.getRemoved()).isTrue();
            // carrying the tombstone's offset, newer than the request's revision 0
            assertThat(kv.value.getRevision()).isEqualTo(1L);
            assertThat(kv.value.getQuestion()).isEmpty();
            assertThat(kv.value.getAnswer()).isEmpty();
            assertThat(kv.value.getChunkId()).isEqualTo("lte/doc.md#0");
            assertThat(kv.value.getDocumentId()).isEqualTo("lte/doc.md");
            assertThat(kv.value.getPairKey()).isEqualTo(kv.key);
        });
        assertThat(removed).extracting(kv -> kv.value.getSlot()).containsExactly(0, 1, 2);
    }

    @Test
    void aRemovedChunkAlsoRemovesTheSlotsOfItsFollowUpRounds() {
        // Given a router whose chunks get 3 first-pass slots and 2 follow-up rounds of 2 slots each
        driver.close();
        driver = new TopologyTestDriver(RouterTopology.build(topics, new TierRouting(0.3, 0.7),
                new dev.qastream.generation.worker.RoundSlots(3, 2, 2), () -> 42L));
        chunks = driver.createInputTopic(Topics.INGEST_CHUNKS, topics.chunks.keySerde().serializer(),
                topics.chunks.valueSerde().serializer());
        TestOutputTopic<String, QaPair> pairs = driver.createOutputTopic(Topics.GENERATION_PAIRS,
                topics.pairs.keySerde().deserializer(), topics.pairs.valueSerde().deserializer());

        // When a chunk is removed
        chunks.pipeInput("lte/doc.md#0", null);

        // Then every slot of every round is removed, each removal naming its round
        List<KeyValue<String, QaPair>> removed = pairs.readKeyValuesToList();
        assertThat(removed).extracting(kv -> kv.value.getSlot()).containsExactly(0, 1, 2, 100, 101, 200, 201);
        assertThat(removed).extracting(kv -> kv.value.getRound()).containsExactly(0, 0, 0, 1, 1, 2, 2);
        assertThat(removed).allSatisfy(kv -> assertThat(kv.value.getRemoved()).isTrue());
    }

    @Test
    void rejectsThresholdsOutOfOrder() {
        assertThatThrownBy(() -> new TierRouting(0.8, 0.5)).hasMessageContaining("fast-below");
    }

    private static List<String> keys(TestOutputTopic<String, GenerationRequest> topic) {
        return topic.readKeyValuesToList().stream().map(kv -> kv.key).toList();
    }
}
