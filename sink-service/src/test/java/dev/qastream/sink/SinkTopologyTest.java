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
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SinkTopologyTest {
    /** How long the membership store remembers a removal here (in service: as long as the topics keep a tombstone). */
    private static final Duration KEEP_REMOVALS = Duration.ofHours(1);
    private final Topics topics = Topics.withPlainAvro();
    private TopologyTestDriver driver;
    private TestInputTopic<String, ScoredPair> scored;
    private TestOutputTopic<String, DatasetRecord> dataset;

    @BeforeEach
    void setUp() {
        driver = new TopologyTestDriver(SinkTopology.build(topics, "You are a RAN expert.", KEEP_REMOVALS));
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
        return scored(key, accepted, overall, 0, false);
    }

    /** A scored pair of a chunk revision; {@code removed}: the versioned removal of that pair key. */
    static ScoredPair scored(String key, boolean accepted, double overall, long revision, boolean removed) {
        QaPair pair = QaPair.newBuilder()
                .setPairKey(key).setChunkId("a.md#0").setDocumentId("a.md").setSlot(0)
                .setQuestion("What is the default of NRCellDU.pagingLoadLimit?")
                .setAnswer("The default value of NRCellDU.pagingLoadLimit is 16.")
                .setTier("balanced").setBackend("extractive").setModel("extractive-v1")
                .setPromptVersion("extractive-v1-abc").setChunkChecksum("c").setGeneratedAtMs(1L)
                .setRevision(revision).setRemoved(removed).setQuestionType("parameter").build();
        if (removed) {
            pair.setQuestion("");
            pair.setAnswer("");
        }
        return ScoredPair.newBuilder()
                .setPair(pair).setStructural(overall).setOverall(overall).setAccepted(accepted)
                .setDocument(DocumentInfo.newBuilder().setFeatureName("Paging Load Control").build())
                .setTerms(TermTiers.newBuilder().setTier1ExactParams(List.of("NRCellDU.pagingLoadLimit"))
                        .setTier2ConfigTerms(List.of("QoS")).setTier3NetworkElements(List.of("gNB", "AMF")).build())
                .setFlags(List.of("conflicts with b.md#0#0")).setScoredAtMs(2L).build();
    }

    private static ScoredPair accepted(String key, long revision) {
        return scored(key, true, 0.9, revision, false);
    }

    private static ScoredPair removal(String key, long revision) {
        return scored(key, false, 0, revision, true);
    }

    /** What dataset.pairs received, as "key=upsert@revision" or "key=tombstone". */
    private List<String> changes() {
        return dataset.readKeyValuesToList().stream()
                .map(kv -> kv.key + "=" + (kv.value == null ? "tombstone" : "upsert@" + kv.value.getRevision()))
                .toList();
    }

    @Test
    void aChunkGeneratedAgainDropsTheSlotsTheNewGenerationDoesNotHold() {
        // Given a chunk at revision 5 with three accepted pairs
        scored.pipeInput("a.md#0#0", accepted("a.md#0#0", 5));
        scored.pipeInput("a.md#0#1", accepted("a.md#0#1", 5));
        scored.pipeInput("a.md#0#2", accepted("a.md#0#2", 5));
        // When revision 9 of the chunk yields one pair and removals for the other slots
        scored.pipeInput("a.md#0#0", accepted("a.md#0#0", 9));
        scored.pipeInput("a.md#0#1", removal("a.md#0#1", 9));
        scored.pipeInput("a.md#0#2", removal("a.md#0#2", 9));
        scored.pipeInput("a.md#0#3", removal("a.md#0#3", 9));

        // Then slot 0 is replaced, slots 1 and 2 leave, and the never-filled slot 3 sends nothing
        assertThat(changes()).containsExactly("a.md#0#0=upsert@5", "a.md#0#1=upsert@5", "a.md#0#2=upsert@5",
                "a.md#0#0=upsert@9", "a.md#0#1=tombstone", "a.md#0#2=tombstone");
    }

    @Test
    void aDeletedDocumentsPairsLeaveTheDataset() {
        // Given two chunks of a document in the dataset
        scored.pipeInput("a.md#0#0", accepted("a.md#0#0", 3));
        scored.pipeInput("a.md#1#0", accepted("a.md#1#0", 4));
        // When the document is deleted: a removal of every slot at the tombstone's revision
        scored.pipeInput("a.md#0#0", removal("a.md#0#0", 7));
        scored.pipeInput("a.md#0#1", removal("a.md#0#1", 7));
        scored.pipeInput("a.md#1#0", removal("a.md#1#0", 8));

        // Then both pairs leave
        assertThat(changes()).containsExactly("a.md#0#0=upsert@3", "a.md#1#0=upsert@4",
                "a.md#0#0=tombstone", "a.md#1#0=tombstone");
    }

    @Test
    void rescoringRemovesARejectedPairAndBringsBackOneAcceptedAgain() {
        // Given an accepted pair
        scored.pipeInput("a.md#0#0", accepted("a.md#0#0", 5));
        // When the same revision is re-scored as rejected (threshold raised), then accepted (lowered again)
        scored.pipeInput("a.md#0#0", scored("a.md#0#0", false, 0.8, 5, false));
        scored.pipeInput("a.md#0#0", scored("a.md#0#0", true, 0.8, 5, false));

        // Then it leaves and comes back
        assertThat(changes()).containsExactly("a.md#0#0=upsert@5", "a.md#0#0=tombstone", "a.md#0#0=upsert@5");
    }

    @Test
    void anOlderRevisionArrivingLateIsIgnoredIncludingItsRemovals() {
        // Given revision 9 arrived first: slot 0 accepted, slot 1 removed
        scored.pipeInput("a.md#0#0", accepted("a.md#0#0", 9));
        scored.pipeInput("a.md#0#1", removal("a.md#0#1", 9));
        // When revision 5 (a slower tier) arrives later: slot 0 removed, slot 1 accepted
        scored.pipeInput("a.md#0#0", removal("a.md#0#0", 5));
        scored.pipeInput("a.md#0#1", accepted("a.md#0#1", 5));

        // Then neither changes the dataset: slot 0 stays, slot 1 stays out
        assertThat(changes()).containsExactly("a.md#0#0=upsert@9");
    }

    @Test
    void theMembershipStoreForgetsRemovedPairsOnceTheirRemovalIsOlderThanTombstonesAreKept() {
        // Given a pair removed at revision 9, a slot removed that never held a pair, a pair removed by a legacy
        // null, and a pair that stays (rejected, but still there)
        scored.pipeInput("a.md#0#0", accepted("a.md#0#0", 5));
        scored.pipeInput("a.md#0#0", removal("a.md#0#0", 9));
        scored.pipeInput("a.md#0#1", removal("a.md#0#1", 9));
        scored.pipeInput("a.md#0#2", accepted("a.md#0#2", 5));
        scored.pipeInput("a.md#0#2", (ScoredPair) null);
        scored.pipeInput("a.md#0#3", scored("a.md#0#3", false, 0.5, 9, false));
        KeyValueStore<String, Object> members = driver.getKeyValueStore(DatasetMembership.STORE);

        // While the removals are recent, the store still knows them (an older revision arriving late is ignored)
        driver.advanceWallClockTime(KEEP_REMOVALS.minusMinutes(5));
        assertThat(members.get("a.md#0#0")).isNotNull();
        scored.pipeInput("a.md#0#0", accepted("a.md#0#0", 7));
        assertThat(changes()).containsExactly("a.md#0#0=upsert@5", "a.md#0#0=tombstone", "a.md#0#2=upsert@5",
                "a.md#0#2=tombstone");

        // When the removals are older than tombstones are kept
        driver.advanceWallClockTime(Duration.ofMinutes(10));

        // Then the store no longer holds the removed keys, and still holds the pair that is there
        assertThat(members.get("a.md#0#0")).isNull();
        assertThat(members.get("a.md#0#1")).isNull();
        assertThat(members.get("a.md#0#2")).isNull();
        assertThat(members.get("a.md#0#3")).isNotNull();
    }

    @Test
    void aLegacyNullRemovalStillRemoves() {
        // Given an accepted pair
        scored.pipeInput("a.md#0#0", accepted("a.md#0#0", 9));
        // When an unversioned null arrives (written before revisions existed), twice
        scored.pipeInput("a.md#0#0", (ScoredPair) null);
        scored.pipeInput("a.md#0#0", (ScoredPair) null);

        // Then the pair leaves, once
        assertThat(changes()).containsExactly("a.md#0#0=upsert@9", "a.md#0#0=tombstone");
    }

    @Test
    void recordsCarryRevisionQuestionTypeGenerationTimeAndFlags() {
        scored.pipeInput("a.md#0#0", accepted("a.md#0#0", 42));

        DatasetRecord record = dataset.readValue();
        assertThat(record.getRevision()).isEqualTo(42);
        assertThat(record.getQuestionType()).isEqualTo("parameter");
        assertThat(record.getGeneratedAtMs()).isEqualTo(1L);
        assertThat(record.getFlags()).containsExactly("conflicts with b.md#0#0");
    }

    @Test
    void membershipWrittenBeforeRevisionsIsStillRead() {
        var serde = DatasetMembership.membershipSerde();
        assertThat(serde.deserializer().deserialize("t", new byte[] {1}))
                .isEqualTo(new DatasetMembership.Membership(0, true));
        var m = new DatasetMembership.Membership(123456789L, false);
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", m))).isEqualTo(m);
    }
}
