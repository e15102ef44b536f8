package dev.qastream.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.DatasetRecord;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.schemas.TermTiers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SinkTopologyTest {
    private final Topics topics = Topics.withPlainAvro();
    private TopologyTestDriver driver;
    private TestInputTopic<String, ScoredPair> scored;
    private TestOutputTopic<String, DatasetRecord> dataset;

    @BeforeEach
    void setUp() {
        driver = new TopologyTestDriver(SinkTopology.build(topics, "You are a RAN expert."));
        scored = driver.createInputTopic(Topics.SCORING_SCORED, topics.scored.keySerde().serializer(),
                topics.scored.valueSerde().serializer());
        dataset = driver.createOutputTopic(Topics.DATASET_PAIRS, topics.dataset.keySerde().deserializer(),
                topics.dataset.valueSerde().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void removalsReachTheDatasetOnlyForPairsInIt() {
        // Given two accepted pairs, a rejected one and a removal of a key that never held a pair
        scored.pipeInput("a.md#0#0", scored("a.md#0#0", true, 0.9));
        scored.pipeInput("a.md#0#1", scored("a.md#0#1", true, 0.9));
        scored.pipeInput("a.md#0#2", scored("a.md#0#2", false, 0.4));
        scored.pipeInput("a.md#0#3", null);
        // When one accepted pair is re-scored as rejected and the other is removed
        scored.pipeInput("a.md#0#0", scored("a.md#0#0", false, 0.5));
        scored.pipeInput("a.md#0#1", null);

        // Then the dataset sees the two upserts and exactly their two removals, nothing for the others
        List<KeyValue<String, DatasetRecord>> out = dataset.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly("a.md#0#0", "a.md#0#1", "a.md#0#0", "a.md#0#1");
        assertThat(out).extracting(kv -> kv.value == null).containsExactly(false, false, true, true);
    }

    @Test
    void acceptedPairsBecomeConversationsWithTheirMetadata() throws Exception {
        // Given an accepted pair
        scored.pipeInput("a.md#0#0", scored("a.md#0#0", true, 0.9137));

        // Then it is in the dataset with its metadata
        List<KeyValue<String, DatasetRecord>> out = dataset.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly("a.md#0#0");
        DatasetRecord record = out.get(0).value;
        assertThat(record.getQualityScore()).isEqualTo(0.914);
        assertThat(record.getTechnicalTerms()).containsExactly("NRCellDU.pagingLoadLimit", "QoS", "gNB", "AMF");
        assertThat(record.getTier3NetworkElements()).isEqualTo(2);

        // and its JSON line is the chat "messages" format with the metadata of the design
        JsonNode line = new ObjectMapper().readTree(DatasetJson.toLine(record));
        assertThat(line.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(line.at("/messages/0/content").asText()).isEqualTo("You are a RAN expert.");
        assertThat(line.at("/messages/1/content").asText()).isEqualTo("What is the default of NRCellDU.pagingLoadLimit?");
        assertThat(line.at("/messages/2/role").asText()).isEqualTo("assistant");
        assertThat(line.at("/metadata/feature_name").asText()).isEqualTo("Paging Load Control");
        assertThat(line.at("/metadata/source_document").asText()).isEqualTo("a.md");
        assertThat(line.at("/metadata/chunk_id").asText()).isEqualTo("a.md#0");
        assertThat(line.at("/metadata/prompt_version").asText()).isEqualTo("extractive-v1-abc");
        assertThat(line.at("/metadata/tier_classification/tier1_exact_params").asInt()).isEqualTo(1);
        assertThat(line.at("/metadata/tier_classification/tier4_rare_terms").asInt()).isZero();
    }

    private static ScoredPair scored(String key, boolean accepted, double overall) {
        QaPair pair = QaPair.newBuilder()
                .setPairKey(key).setChunkId("a.md#0").setDocumentId("a.md").setSlot(0)
                .setQuestion("What is the default of NRCellDU.pagingLoadLimit?")
                .setAnswer("The default value of NRCellDU.pagingLoadLimit is 16.")
                .setTier("balanced").setBackend("extractive").setModel("extractive-v1")
                .setPromptVersion("extractive-v1-abc").setChunkChecksum("c").setGeneratedAtMs(1L).build();
        return ScoredPair.newBuilder()
                .setPair(pair).setStructural(overall).setOverall(overall).setAccepted(accepted)
                .setDocument(DocumentInfo.newBuilder().setFeatureName("Paging Load Control").build())
                .setTerms(TermTiers.newBuilder().setTier1ExactParams(List.of("NRCellDU.pagingLoadLimit"))
                        .setTier2ConfigTerms(List.of("QoS")).setTier3NetworkElements(List.of("gNB", "AMF")).build())
                .setScoredAtMs(2L).build();
    }
}
