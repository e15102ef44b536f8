package dev.qastream.scoring.coverage;

import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DocumentCoverage;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.Fact;
import dev.qastream.schemas.FocusFact;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.Parameter;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.schemas.TermTiers;
import dev.qastream.schemas.UncoveredFact;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Coverage on TopologyTestDriver: facts, per-document coverage and follow-up requests. */
class CoverageTopologyTest {
    private static final Topics TOPICS = Topics.withPlainAvro();
    static final String DOC = "lte/boost.md";
    static final String CHUNK = DOC + "#1";
    static final String SUBJECT = "EUtranCellFDD.ulPowerBoostMaxOffset";
    static final String DEFAULT = CHUNK + "|parameter.default|" + SUBJECT;
    static final String VALUES = CHUNK + "|parameter.values|" + SUBJECT;
    static final String UNIT = CHUNK + "|parameter.unit|" + SUBJECT;
    static final String MO = CHUNK + "|parameter.mo-class|" + SUBJECT;
    static final String PURPOSE = CHUNK + "|parameter.purpose|" + SUBJECT;
    static final List<String> ALL = List.of(DEFAULT, MO, PURPOSE, UNIT, VALUES);

    private TopologyTestDriver driver;
    private TestInputTopic<String, Chunk> chunks;
    private TestInputTopic<String, ScoredPair> scored;
    private TestOutputTopic<String, Fact> facts;
    private TestOutputTopic<String, DocumentCoverage> documents;
    private TestOutputTopic<String, GenerationRequest> requests;

    @BeforeEach
    void setUp() {
        driver = new TopologyTestDriver(CoverageTopology.build(TOPICS, CoverageSettings.defaults(), CoverageListener.NONE));
        chunks = driver.createInputTopic(Topics.INGEST_CHUNKS, TOPICS.chunks.keySerde().serializer(), TOPICS.chunks.valueSerde().serializer());
        scored = driver.createInputTopic(Topics.SCORING_SCORED, TOPICS.scored.keySerde().serializer(), TOPICS.scored.valueSerde().serializer());
        facts = driver.createOutputTopic(Topics.COVERAGE_FACTS, TOPICS.facts.keySerde().deserializer(), TOPICS.facts.valueSerde().deserializer());
        documents = driver.createOutputTopic(Topics.COVERAGE_DOCUMENTS, TOPICS.coverage.keySerde().deserializer(),
                TOPICS.coverage.valueSerde().deserializer());
        requests = driver.createOutputTopic(Topics.requestTopic("fast"), TOPICS.request("fast").keySerde().deserializer(),
                TOPICS.request("fast").valueSerde().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    static Chunk chunk(String checksum, Parameter... params) {
        return Chunk.newBuilder().setChunkId(CHUNK).setDocumentId(DOC).setOrdinal(1).setSectionPath(List.of("Parameters"))
                .setText("- **EUtranCellFDD.ulPowerBoostMaxOffset**: Largest extra power offset that the boost may add\n"
                        + "  - Valid Values: 0 to 10\n  - Unit: dB\n  - Default: 3\n")
                .setChecksum(checksum).setTokenEstimate(40).setComplexity(0.1)
                .setDocument(DocumentInfo.newBuilder().setFeatureName("Uplink Power Boost").build())
                .setParameters(List.of(params)).setTerms(TermTiers.newBuilder().build())
                .setQuality(ChunkQuality.newBuilder().build()).build();
    }

    static Parameter maxOffset() {
        return Parameter.newBuilder().setMoClass("EUtranCellFDD").setName("ulPowerBoostMaxOffset")
                .setDescription("Largest extra power offset that the boost may add").setValidValues("0 to 10")
                .setDefaultValue("3").setUnit("dB").build();
    }

    static Parameter threshold() {
        return Parameter.newBuilder().setMoClass("EUtranCellFDD").setName("ulPowerBoostRsrpThreshold")
                .setDescription("RSRP below which a UE is at the cell edge").setDefaultValue("-110").build();
    }

    static ScoredPair pair(int slot, String checksum, long revision, int round, int slotsInRound, boolean accepted,
                           String answer, List<String> confirmed) {
        QaPair p = QaPair.newBuilder().setPairKey(CHUNK + "#" + slot).setChunkId(CHUNK).setDocumentId(DOC).setSlot(slot)
                .setQuestion("What is the default value of " + SUBJECT + "?").setAnswer(answer).setTier("fast")
                .setBackend("ollama").setModel("qwen3:1.7b").setPromptVersion("qa-test").setChunkChecksum(checksum)
                .setGeneratedAtMs(1L).setRevision(revision).setRound(round).setSlotsInRound(slotsInRound).build();
        return ScoredPair.newBuilder().setPair(p).setStructural(1).setOverall(accepted ? 0.9 : 0.5).setAccepted(accepted)
                .setReasons(accepted ? List.of() : List.of("overall score 0.50 is below the threshold 0.75"))
                .setDocument(DocumentInfo.newBuilder().build()).setTerms(TermTiers.newBuilder().build())
                .setScoredAtMs(2L).setConfirmedFacts(confirmed).build();
    }

    static ScoredPair accepted(int slot, List<String> confirmed) {
        return pair(slot, "v1", 0, 0, 0, true, "The default value of " + SUBJECT + " is 3 dB.", confirmed);
    }

    private void send(ScoredPair s) {
        scored.pipeInput(s.getPair().getPairKey(), s);
    }

    private DocumentCoverage latest() {
        Map<String, DocumentCoverage> all = documents.readKeyValuesToMap();
        return all.get(DOC);
    }

    private static UncoveredFact uncovered(DocumentCoverage c, String factId) {
        return c.getUncovered().stream().filter(u -> u.getFactId().equals(factId)).findFirst().orElse(null);
    }

    @Test
    void aDocumentWhoseFactsAreAllCoveredReadsOneHundredPercent() {
        chunks.pipeInput(CHUNK, chunk("v1", maxOffset()));
        assertThat(facts.readKeyValuesToMap()).containsOnlyKeys(ALL);
        DocumentCoverage none = latest();
        assertThat(none.getFacts()).isEqualTo(5);
        assertThat(none.getCovered()).isZero();
        assertThat(none.getUncovered()).allMatch(u -> u.getReason().equals(CoverageCalculator.NEVER_ANSWERED));

        send(accepted(0, List.of(DEFAULT, MO, PURPOSE)));
        send(accepted(1, List.of(VALUES, UNIT)));
        DocumentCoverage all = latest();
        assertThat(all.getCovered()).isEqualTo(all.getFacts()).isEqualTo(5);
        assertThat(all.getUncovered()).isEmpty();
        assertThat(all.getKinds()).extracting(k -> k.getKind() + " " + k.getCovered() + "/" + k.getFacts()).containsExactly(
                "parameter.default 1/1", "parameter.mo-class 1/1", "parameter.purpose 1/1", "parameter.unit 1/1",
                "parameter.values 1/1");
        assertThat(all.getAcceptedPairs()).isEqualTo(2);
    }

    @Test
    void rejectingOrRemovingThePairThatCoversAFactTakesItsCoverageAway() {
        chunks.pipeInput(CHUNK, chunk("v1", maxOffset()));
        send(accepted(0, List.of(DEFAULT)));
        assertThat(latest().getCovered()).isEqualTo(1);

        send(pair(0, "v1", 0, 0, 0, false, "The default value of " + SUBJECT + " is 3 dB.", List.of(DEFAULT)));
        DocumentCoverage rejected = latest();
        assertThat(rejected.getCovered()).isZero();
        assertThat(uncovered(rejected, DEFAULT).getReason()).isEqualTo(CoverageCalculator.REJECTED);
        assertThat(uncovered(rejected, DEFAULT).getDetail()).contains(CHUNK + "#0", "below the threshold");

        send(accepted(0, List.of(DEFAULT)));
        assertThat(latest().getCovered()).isEqualTo(1);
        QaPair removal = QaPair.newBuilder(accepted(0, List.of()).getPair()).setRemoved(true).setQuestion("").setAnswer("").build();
        send(ScoredPair.newBuilder(accepted(0, List.of())).setPair(removal).setAccepted(false).build());
        DocumentCoverage removed = latest();
        assertThat(removed.getCovered()).isZero();
        assertThat(uncovered(removed, DEFAULT).getReason()).isEqualTo(CoverageCalculator.NEVER_ANSWERED);
    }

    @Test
    void anAnswerTheFactCheckContradictsIsReportedWithTheWrongValue() {
        chunks.pipeInput(CHUNK, chunk("v1", maxOffset()));
        send(pair(0, "v1", 0, 0, 0, false, "The default value of " + SUBJECT + " is 5.", List.of()));
        UncoveredFact wrong = uncovered(latest(), DEFAULT);
        assertThat(wrong.getReason()).isEqualTo(CoverageCalculator.ANSWERED_WRONGLY);
        assertThat(wrong.getDetail()).contains("answer says 5", "the document says 3");
    }

    @Test
    void aWrongAnswerThatArrivesBeforeItsChunkIsCheckedWhenTheChunkComes() {
        send(pair(0, "v1", 0, 0, 0, false, "The default value of " + SUBJECT + " is 5.", List.of()));
        chunks.pipeInput(CHUNK, chunk("v1", maxOffset()));
        UncoveredFact wrong = uncovered(latest(), DEFAULT);
        assertThat(wrong.getReason()).isEqualTo(CoverageCalculator.ANSWERED_WRONGLY);
        assertThat(wrong.getDetail()).contains("answer says 5");
    }

    @Test
    void editingTheDocumentAddsAndRemovesFactsAndDeletingItRemovesThemAll() {
        chunks.pipeInput(CHUNK, chunk("v1", maxOffset()));
        send(accepted(0, List.of(DEFAULT)));
        facts.readKeyValuesToList();

        chunks.pipeInput(CHUNK, chunk("v2", threshold()));
        Map<String, Fact> changed = facts.readKeyValuesToMap();
        String newDefault = CHUNK + "|parameter.default|EUtranCellFDD.ulPowerBoostRsrpThreshold";
        assertThat(changed).containsKey(newDefault);
        assertThat(changed.get(newDefault)).isNotNull();
        assertThat(ALL).allMatch(id -> changed.containsKey(id) && changed.get(id) == null);
        DocumentCoverage edited = latest();
        assertThat(edited.getFacts()).isEqualTo(3); // purpose, default, MO class of the threshold
        assertThat(edited.getCovered()).as("a pair of the old text covers nothing of the new").isZero();

        chunks.pipeInput(CHUNK, null);
        Map<String, Fact> gone = facts.readKeyValuesToMap();
        assertThat(gone).hasSize(3).allSatisfy((id, f) -> assertThat(f).isNull());
        List<org.apache.kafka.streams.test.TestRecord<String, DocumentCoverage>> docs = documents.readRecordsToList();
        assertThat(docs.get(docs.size() - 1).getValue()).as("the document's coverage is tombstoned").isNull();
    }

    @Test
    void aFollowUpIsEmittedOncePerRoundUpToMaxRoundsNamingOnlyTheUncoveredFacts() {
        chunks.pipeInput(CHUNK, chunk("v1", maxOffset()));
        send(pair(0, "v1", 0, 0, 2, true, "a", List.of(DEFAULT, MO, PURPOSE)));
        assertThat(requests.isEmpty()).as("one slot of two scored: the round is not complete").isTrue();
        send(pair(1, "v1", 0, 0, 2, false, "b", List.of()));
        GenerationRequest first = requests.readValue();
        assertThat(first.getRound()).isEqualTo(1);
        assertThat(first.getRevision()).isZero();
        assertThat(first.getChunk().getChunkId()).isEqualTo(CHUNK);
        assertThat(first.getFocus()).extracting(FocusFact::getFactId).containsExactly(UNIT, VALUES);
        assertThat(first.getFocus()).extracting(FocusFact::getText).containsExactly(
                "the unit of " + SUBJECT, "the valid values of " + SUBJECT);

        send(pair(1, "v1", 0, 0, 2, false, "b again", List.of())); // round 0 rescored: never asked twice
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertThat(requests.isEmpty()).isTrue();

        send(pair(100, "v1", 0, 1, 2, true, "c", List.of(UNIT)));
        send(pair(101, "v1", 0, 1, 2, false, "d", List.of(VALUES))); // stated, but rejected: worth asking again
        GenerationRequest second = requests.readValue();
        assertThat(second.getRound()).isEqualTo(2);
        assertThat(second.getFocus()).extracting(FocusFact::getFactId).containsExactly(VALUES);

        send(pair(200, "v1", 0, 2, 1, false, "d", List.of()));
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertThat(requests.isEmpty()).as("coverage.max-rounds (2) follow-ups made").isTrue();
        assertThat(latest().getFollowUps()).isEqualTo(2);
    }

    @Test
    void aFactTwoChunksStateIsCoveredByAnAcceptedPairOfEitherAndCausesNoFollowUp() {
        // Given a parameter whose entry two neighbouring chunks both hold (a table split across them)
        String other = DOC + "#2";
        chunks.pipeInput(CHUNK, chunk("v1", maxOffset()));
        chunks.pipeInput(other, Chunk.newBuilder(chunk("w1", maxOffset())).setChunkId(other).setOrdinal(2).build());
        List<String> otherFacts = ALL.stream().map(id -> id.replace(CHUNK + "|", other + "|")).toList();
        ScoredPair onOther = accepted(0, otherFacts);
        send(ScoredPair.newBuilder(onOther).setPair(QaPair.newBuilder(onOther.getPair()).setChunkId(other)
                .setPairKey(other + "#0").setChunkChecksum("w1").build()).build());

        // When the first chunk's only pair is rejected as a duplicate of the other chunk's
        send(pair(0, "v1", 0, 0, 1, false, "dup", List.of(DEFAULT)));
        driver.advanceWallClockTime(Duration.ofSeconds(5));

        // Then the document teaches each fact once, and both chunks' copies count as covered: no model is asked again
        DocumentCoverage coverage = latest();
        assertThat(coverage.getFacts()).isEqualTo(10);
        assertThat(coverage.getUncovered()).isEmpty();
        assertThat(coverage.getCovered()).isEqualTo(10);
        assertThat(requests.isEmpty()).isTrue();
    }

    @Test
    void aValueFactAFollowUpAskedForAndTheModelLeftUnansweredCausesNoFurtherRound() {
        // Given a first round that leaves the unit and the valid values uncovered: the follow-up asks for both
        chunks.pipeInput(CHUNK, chunk("v1", maxOffset()));
        send(pair(0, "v1", 0, 0, 1, true, "a", List.of(DEFAULT, MO, PURPOSE)));
        assertThat(requests.readValue().getFocus()).extracting(FocusFact::getFactId).containsExactly(UNIT, VALUES);

        // When its one pair states neither (the model, asked by name, said nothing about them)
        send(pair(100, "v1", 0, 1, 1, true, "something else", List.of()));
        driver.advanceWallClockTime(Duration.ofSeconds(5));

        // Then no second round is spent on them; they stay listed as never answered
        assertThat(requests.isEmpty()).isTrue();
        DocumentCoverage coverage = latest();
        assertThat(coverage.getFollowUps()).isEqualTo(1);
        assertThat(coverage.getUncovered()).extracting(UncoveredFact::getReason).containsOnly(CoverageCalculator.NEVER_ANSWERED);
    }

    @Test
    void factsBeyondTheFollowUpsPairsWereNotReallyAskedAndGetAnotherRound() {
        // Given follow-ups of one pair each: the second value fact named has no pair of its own
        driver.close();
        driver = new TopologyTestDriver(CoverageTopology.build(TOPICS, new CoverageSettings(2, 2, 1000, 1), CoverageListener.NONE));
        chunks = driver.createInputTopic(Topics.INGEST_CHUNKS, TOPICS.chunks.keySerde().serializer(), TOPICS.chunks.valueSerde().serializer());
        scored = driver.createInputTopic(Topics.SCORING_SCORED, TOPICS.scored.keySerde().serializer(), TOPICS.scored.valueSerde().serializer());
        requests = driver.createOutputTopic(Topics.requestTopic("fast"), TOPICS.request("fast").keySerde().deserializer(),
                TOPICS.request("fast").valueSerde().deserializer());
        chunks.pipeInput(CHUNK, chunk("v1", maxOffset()));
        send(pair(0, "v1", 0, 0, 1, true, "a", List.of(DEFAULT, MO, PURPOSE)));
        assertThat(requests.readValue().getRound()).isEqualTo(1);

        // When the follow-up's one pair covers the first of the two
        send(pair(100, "v1", 0, 1, 1, true, "c", List.of(UNIT)));

        // Then the second is asked for in a round of its own
        GenerationRequest second = requests.readValue();
        assertThat(second.getRound()).isEqualTo(2);
        assertThat(second.getFocus()).extracting(FocusFact::getFactId).containsExactly(VALUES);
    }

    @Test
    void onlyDescriptiveFactsLeftCauseNoFollowUp() {
        // Given a round whose pairs cover every value fact of the chunk but not its purpose
        chunks.pipeInput(CHUNK, chunk("v1", maxOffset()));
        send(pair(0, "v1", 0, 0, 2, true, "a", List.of(DEFAULT, MO)));
        send(pair(1, "v1", 0, 0, 2, true, "b", List.of(UNIT, VALUES)));
        driver.advanceWallClockTime(Duration.ofSeconds(5));

        // Then no model is asked again: a relevant pair naming the subject covers a descriptive fact
        assertThat(requests.isEmpty()).isTrue();
        assertThat(latest().getUncovered()).extracting(u -> u.getFactId()).containsExactly(PURPOSE);
    }

    @Test
    void aRoundOfUnknownSizeIsCompleteOnceNoPairArrivedForASecond() {
        chunks.pipeInput(CHUNK, chunk("v1", maxOffset()));
        send(accepted(0, List.of(DEFAULT)));
        driver.advanceWallClockTime(Duration.ofMillis(300));
        assertThat(requests.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofMillis(1200));
        GenerationRequest r = requests.readValue();
        assertThat(r.getRound()).isEqualTo(1);
        assertThat(r.getFocus()).extracting(FocusFact::getFactId).doesNotContain(DEFAULT).hasSize(4);
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertThat(requests.isEmpty()).isTrue();
    }

    @Test
    void theSameInputsInAnotherOrderGiveTheSameCoverage() {
        List<ScoredPair> inputs = new ArrayList<>(List.of(accepted(0, List.of(DEFAULT)),
                pair(1, "v1", 0, 0, 0, false, "The default value of " + SUBJECT + " is 5.", List.of()),
                accepted(2, List.of(UNIT, PURPOSE))));
        chunks.pipeInput(CHUNK, chunk("v1", maxOffset()));
        inputs.forEach(this::send);
        DocumentCoverage forward = latest();
        tearDown();
        setUp();
        chunks.pipeInput(CHUNK, chunk("v1", maxOffset()));
        inputs.reversed().forEach(this::send);
        assertThat(latest()).isEqualTo(forward);
    }
}
