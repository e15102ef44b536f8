package dev.qastream.sink;

import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.review.PairFingerprint;
import dev.qastream.schemas.DatasetRecord;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ReviewDecision;
import dev.qastream.schemas.ReviewVerdict;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.schemas.TermTiers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A person's decisions on review.decisions over the scores: what dataset.pairs holds for each order of events. */
class SinkReviewTest {
    private static final String KEY = "a.md#0#0";
    private static final String QUESTION = "What is the default of NRCellDU.pagingLoadLimit?";
    private static final String ANSWER = "The default value of NRCellDU.pagingLoadLimit is 16.";
    private final Topics topics = Topics.withPlainAvro();
    private TopologyTestDriver driver;
    private TestInputTopic<String, ScoredPair> scored;
    private TestInputTopic<String, ReviewDecision> decisions;
    private TestOutputTopic<String, DatasetRecord> dataset;

    @BeforeEach
    void setUp() {
        driver = new TopologyTestDriver(SinkTopology.build(topics, "You are a RAN expert.", Duration.ofHours(1)));
        scored = driver.createInputTopic(Topics.SCORING_SCORED, topics.scored.keySerde().serializer(),
                topics.scored.valueSerde().serializer());
        decisions = driver.createInputTopic(Topics.REVIEW_DECISIONS, topics.reviewDecisions.keySerde().serializer(),
                topics.reviewDecisions.valueSerde().serializer());
        dataset = driver.createOutputTopic(Topics.DATASET_PAIRS, topics.dataset.keySerde().deserializer(),
                topics.dataset.valueSerde().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void aPersonAcceptsAPairTheScoresRejectedAsANearDuplicate() {
        // Given a pair scoring rejected as a near-duplicate: not in the dataset
        scored.pipeInput(KEY, pair(5, QUESTION, ANSWER, false, 0.4, "near-duplicate of a.md#1#0"));
        assertThat(changes()).isEmpty();

        // When a person accepts it
        decisions.pipeInput(KEY, decision(5, QUESTION, ANSWER, ReviewVerdict.ACCEPTED));

        // Then it is in the dataset as generated, marked reviewed: accepted, with who decided
        List<KeyValue<String, DatasetRecord>> out = dataset.readKeyValuesToList();
        assertThat(out).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo(KEY);
            assertThat(kv.value.getQuestion()).isEqualTo(QUESTION);
            assertThat(kv.value.getReviewed()).isEqualTo("accepted");
            assertThat(kv.value.getReviewer()).isEqualTo("ana");
            assertThat(kv.value.getQualityScore()).isEqualTo(0.4);
        });
    }

    @Test
    void anEditReplacesTheGeneratedTextWithThePersonsText() {
        // Given a pair in the dataset by its scores
        scored.pipeInput(KEY, pair(5, QUESTION, ANSWER, true, 0.8));
        // When a person edits it
        ReviewDecision edit = decision(5, QUESTION, ANSWER, ReviewVerdict.EDITED);
        edit.setEditedQuestion("What is the default value of NRCellDU.pagingLoadLimit?");
        edit.setEditedAnswer("It is 16.");
        edit.setEditedScore(0.93);
        decisions.pipeInput(KEY, edit);

        // Then the dataset holds the edited text, marked reviewed: edited, scored as the edited pair
        List<DatasetRecord> out = dataset.readValuesToList();
        assertThat(out).hasSize(2);
        DatasetRecord edited = out.get(1);
        assertThat(edited.getQuestion()).isEqualTo("What is the default value of NRCellDU.pagingLoadLimit?");
        assertThat(edited.getAnswer()).isEqualTo("It is 16.");
        assertThat(edited.getReviewed()).isEqualTo("edited");
        assertThat(edited.getQualityScore()).isEqualTo(0.93);
        assertThat(out.get(0).getReviewed()).isNull();
    }

    @Test
    void aPersonRejectsAnAcceptedPairAndAnUndoGivesTheScoresTheirSayBack() {
        // Given a pair accepted by its scores, and another they rejected
        scored.pipeInput(KEY, pair(5, QUESTION, ANSWER, true, 0.9));
        scored.pipeInput("a.md#0#1", pair("a.md#0#1", 5, "Q2?", "A2.", false, 0.3));
        // When a person rejects the first and accepts the second
        decisions.pipeInput(KEY, decision(5, QUESTION, ANSWER, ReviewVerdict.REJECTED));
        decisions.pipeInput("a.md#0#1", decision("a.md#0#1", 5, "Q2?", "A2.", ReviewVerdict.ACCEPTED));
        // Then the first leaves and the second enters
        assertThat(changes()).containsExactly(KEY + "=upsert@5", KEY + "=tombstone", "a.md#0#1=upsert@5 accepted");

        // When both decisions are withdrawn (tombstones on review.decisions)
        decisions.pipeInput(KEY, (ReviewDecision) null);
        decisions.pipeInput("a.md#0#1", (ReviewDecision) null);

        // Then the scores decide again: the first is back as scored, the second leaves
        assertThat(changes()).containsExactly(KEY + "=upsert@5", "a.md#0#1=tombstone");
    }

    @Test
    void aDecisionOnAnEarlierGenerationDoesNotCoverTheRegeneratedPair() {
        // Given a pair the scores rejected, accepted by a person
        scored.pipeInput(KEY, pair(5, QUESTION, ANSWER, false, 0.4));
        decisions.pipeInput(KEY, decision(5, QUESTION, ANSWER, ReviewVerdict.ACCEPTED));
        assertThat(changes()).containsExactly(KEY + "=upsert@5 accepted");

        // When a prompt change regenerates the chunk (same revision, other text), rejected again by its scores
        scored.pipeInput(KEY, pair(5, "Which limit applies to paging?", ANSWER, false, 0.4));
        // Then the decision does not cover it: it leaves
        assertThat(changes()).containsExactly(KEY + "=tombstone");

        // When the document is edited and the pair made again at a newer revision, accepted by its scores
        scored.pipeInput(KEY, pair(9, QUESTION, ANSWER, true, 0.9));
        // Then it is in the dataset by its scores, not marked reviewed
        assertThat(changes()).containsExactly(KEY + "=upsert@9");

        // and a person's rejection of the old revision arriving now changes nothing
        decisions.pipeInput(KEY, decision(5, QUESTION, ANSWER, ReviewVerdict.REJECTED));
        assertThat(changes()).isEmpty();
    }

    @Test
    void aDecisionArrivingBeforeItsPairAppliesWhenThePairArrives() {
        // Given decisions on two pairs the sink has not seen yet
        decisions.pipeInput(KEY, decision(5, QUESTION, ANSWER, ReviewVerdict.ACCEPTED));
        decisions.pipeInput("a.md#0#1", decision("a.md#0#1", 5, "Q2?", "A2.", ReviewVerdict.REJECTED));
        assertThat(changes()).isEmpty();

        // When the pairs arrive: the first rejected by its scores, the second accepted
        scored.pipeInput(KEY, pair(5, QUESTION, ANSWER, false, 0.4));
        scored.pipeInput("a.md#0#1", pair("a.md#0#1", 5, "Q2?", "A2.", true, 0.9));

        // Then the person's decisions hold: the first is in, the second never enters
        assertThat(changes()).containsExactly(KEY + "=upsert@5 accepted");
    }

    @Test
    void aRescoreOfTheUnchangedPairKeepsThePersonsDecision() {
        // Given a pair accepted by a person against its scores, and another rejected by a person against them
        scored.pipeInput(KEY, pair(5, QUESTION, ANSWER, false, 0.4));
        scored.pipeInput("a.md#0#1", pair("a.md#0#1", 5, "Q2?", "A2.", true, 0.9));
        decisions.pipeInput(KEY, decision(5, QUESTION, ANSWER, ReviewVerdict.ACCEPTED));
        decisions.pipeInput("a.md#0#1", decision("a.md#0#1", 5, "Q2?", "A2.", ReviewVerdict.REJECTED));
        assertThat(changes()).containsExactly("a.md#0#1=upsert@5", KEY + "=upsert@5 accepted", "a.md#0#1=tombstone");

        // When rescore (or a replay the cache answers) emits both pairs again, same revision and text, other scores
        scored.pipeInput(KEY, pair(5, QUESTION, ANSWER, false, 0.1, "answer is too short"));
        scored.pipeInput("a.md#0#1", pair("a.md#0#1", 5, "Q2?", "A2.", true, 0.99));

        // Then the decisions still apply: the first stays in (with its new score), the second stays out
        List<KeyValue<String, DatasetRecord>> out = dataset.readKeyValuesToList();
        assertThat(out).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo(KEY);
            assertThat(kv.value.getReviewed()).isEqualTo("accepted");
            assertThat(kv.value.getQualityScore()).isEqualTo(0.1);
        });
    }

    @Test
    void anOlderRevisionArrivingLateCannotOverwriteAReviewedPair() {
        // Given revision 9 of a pair, edited by a person
        scored.pipeInput(KEY, pair(9, QUESTION, ANSWER, true, 0.9));
        ReviewDecision edit = decision(9, QUESTION, ANSWER, ReviewVerdict.EDITED);
        edit.setEditedAnswer("It is 16.");
        decisions.pipeInput(KEY, edit);
        assertThat(changes()).containsExactly(KEY + "=upsert@9", KEY + "=upsert@9 edited");

        // When revision 5 of it, from a slower tier, arrives late (accepted, and then a removal)
        scored.pipeInput(KEY, pair(5, QUESTION, ANSWER, true, 0.95));
        scored.pipeInput(KEY, SinkTopologyTest.scored(KEY, false, 0, 5, true));

        // Then the edited revision 9 stays
        assertThat(changes()).isEmpty();
    }

    @Test
    void aRemovedPairLeavesWhateverAPersonDecided() {
        // Given a pair a person accepted
        scored.pipeInput(KEY, pair(5, QUESTION, ANSWER, false, 0.4));
        decisions.pipeInput(KEY, decision(5, QUESTION, ANSWER, ReviewVerdict.ACCEPTED));
        // When its document is deleted (a removal at a newer revision)
        scored.pipeInput(KEY, SinkTopologyTest.scored(KEY, false, 0, 8, true));
        // Then it leaves the dataset
        assertThat(changes()).containsExactly(KEY + "=upsert@5 accepted", KEY + "=tombstone");
    }

    @Test
    void aPersonChangingTheirMindFromAcceptToEditReplacesTheRecordAndTheSameDecisionTwiceChangesNothing() {
        scored.pipeInput(KEY, pair(5, QUESTION, ANSWER, false, 0.4));
        decisions.pipeInput(KEY, decision(5, QUESTION, ANSWER, ReviewVerdict.ACCEPTED));
        decisions.pipeInput(KEY, decision(5, QUESTION, ANSWER, ReviewVerdict.ACCEPTED));
        ReviewDecision edit = decision(5, QUESTION, ANSWER, ReviewVerdict.EDITED);
        edit.setEditedQuestion("What is the paging load limit by default?");
        decisions.pipeInput(KEY, edit);

        List<DatasetRecord> out = dataset.readValuesToList();
        assertThat(out).extracting(DatasetRecord::getReviewed).containsExactly("accepted", "edited");
        assertThat(out.get(1).getQuestion()).isEqualTo("What is the paging load limit by default?");
        assertThat(out.get(1).getAnswer()).as("an edit of the question alone keeps the answer").isEqualTo(ANSWER);
    }

    // ---- helpers

    /** What dataset.pairs received, as "key=upsert@revision[ reviewed]" or "key=tombstone". */
    private List<String> changes() {
        return dataset.readKeyValuesToList().stream()
                .map(kv -> kv.key + "=" + (kv.value == null ? "tombstone" : "upsert@" + kv.value.getRevision()
                        + (kv.value.getReviewed() == null ? "" : " " + kv.value.getReviewed())))
                .toList();
    }

    private static ScoredPair pair(long revision, String question, String answer, boolean accepted, double overall,
                                   String... reasons) {
        return pair(KEY, revision, question, answer, accepted, overall, reasons);
    }

    static ScoredPair pair(String key, long revision, String question, String answer, boolean accepted, double overall,
                           String... reasons) {
        QaPair pair = QaPair.newBuilder()
                .setPairKey(key).setChunkId("a.md#0").setDocumentId("a.md").setSlot(0)
                .setQuestion(question).setAnswer(answer)
                .setTier("balanced").setBackend("extractive").setModel("extractive-v1")
                .setPromptVersion("extractive-v1-abc").setChunkChecksum("c").setGeneratedAtMs(1L)
                .setRevision(revision).setQuestionType("parameter").build();
        return ScoredPair.newBuilder()
                .setPair(pair).setStructural(overall).setOverall(overall).setAccepted(accepted)
                .setReasons(List.of(reasons))
                .setDocument(DocumentInfo.newBuilder().setFeatureName("Paging Load Control").build())
                .setTerms(TermTiers.newBuilder().setTier1ExactParams(List.of("NRCellDU.pagingLoadLimit")).build())
                .setScoredAtMs(2L).build();
    }

    private static ReviewDecision decision(long revision, String question, String answer, ReviewVerdict verdict) {
        return decision(KEY, revision, question, answer, verdict);
    }

    static ReviewDecision decision(String key, long revision, String question, String answer, ReviewVerdict verdict) {
        return ReviewDecision.newBuilder().setPairKey(key).setRevision(revision)
                .setPairFingerprint(PairFingerprint.of(question, answer)).setDecision(verdict)
                .setReason(verdict == ReviewVerdict.REJECTED ? "wrong value" : null)
                .setReviewer("ana").setDecidedAtMs(3L).build();
    }
}
