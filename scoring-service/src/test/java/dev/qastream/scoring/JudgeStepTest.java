package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.JudgeRequest;
import dev.qastream.schemas.Judgement;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The judge step of the scoring topology on TopologyTestDriver, the test in the judge stage's place: it reads the
 * requests and writes the verdicts. The topology itself never asks the judge.
 */
class JudgeStepTest {
    /** A judge configured but never to be asked by the topology: asking it fails the test. */
    static final PairJudge NEVER_ASKED = new PairJudge() {
        @Override
        public OptionalDouble judge(QaPair pair, Chunk chunk) {
            throw new AssertionError("the topology asked the judge on a stream thread");
        }

        @Override
        public String model() {
            return "judge-model";
        }
    };
    private static final String Q0 = "What is the default value of EUtranCellFDD.ulPowerBoostEnabled?";
    private static final String A0 = "The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled).";
    private static final String Q1 = "What is the valid range of EUtranCellFDD.ulPowerBoostRsrpThreshold?";
    private static final String A1 = "EUtranCellFDD.ulPowerBoostRsrpThreshold takes values from -140 to -44 dBm.";

    @TempDir
    Path state;
    ScoringDriver run;

    @BeforeEach
    void start() {
        ScoringSettings d = ScoringSettings.defaults();
        ScoringSettings settings = new ScoringSettings(d.policy(), d.nearDuplicate(), d.domain(), true, "quality", 0.25, 4,
                ScoringSettings.DedupScope.DOCUMENT);
        Properties props = new Properties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        run = new ScoringDriver(ScoringDriver.scorer(settings, NEVER_ASKED), Batching.ONE_AT_A_TIME, props);
        run.send(Fixtures.chunk());
    }

    @AfterEach
    void stop() {
        run.close();
    }

    static Judgement verdict(JudgeRequest request, Double score) {
        return Judgement.newBuilder().setCacheKey(request.getCacheKey()).setRevision(request.getPair().getRevision())
                .setScore(score).setReason(score == null ? "connection refused" : null).setModel("judge-model")
                .setPromptVersion("judge-v1").setJudgedAtMs(1).build();
    }

    private void answer(JudgeRequest request, Double score) {
        run.verdicts.pipeInput(request.getPair().getPairKey(), verdict(request, score));
    }

    private static QaPair pair(int slot, String q, String a, long revision) {
        return QaPair.newBuilder(Fixtures.pair(slot, q, a)).setRevision(revision).build();
    }

    @Test
    void aPairWaitsForItsVerdictWhichIsMixedInAndAReplayIsCompletedFromTheKnownVerdict() {
        // Given two pairs scored with a judge configured
        run.send(pair(0, Q0, A0, 10));
        run.send(pair(1, Q1, A1, 10));
        // Then nothing is written yet: each waits, and the judge stage is asked about each once
        assertThat(run.scored.isEmpty()).isTrue();
        List<JudgeRequest> asked = run.judgeRequests.readValuesToList();
        assertThat(asked).extracting(r -> r.getPair().getPairKey()).containsExactly("lte/boost.md#0#0", "lte/boost.md#0#1");
        assertThat(asked.get(0).getChunk().getText()).isEqualTo(Fixtures.TEXT);
        assertThat(asked.get(0).getCacheKey()).isEqualTo(NEVER_ASKED.cacheKey(asked.get(0).getPair(), Fixtures.chunk()));

        // When the second verdict comes first
        answer(asked.get(1), 0.0);
        // Then that pair is written, the judge's score mixed in by its weight; the other still waits
        List<KeyValue<String, ScoredPair>> out = run.scored.readKeyValuesToList();
        assertThat(out).hasSize(1);
        ScoredPair second = out.get(0).value;
        assertThat(out.get(0).key).isEqualTo("lte/boost.md#0#1");
        assertThat(second.getJudge()).isEqualTo(0.0);
        answer(asked.get(0), 1.0);
        ScoredPair first = run.scored.readValue();
        assertThat(first.getJudge()).isEqualTo(1.0);
        assertThat(first.getAccepted()).isTrue();
        assertThat(first.getReasons()).noneMatch(r -> r.startsWith("judge unavailable"));

        // When the same pairs come again (a replay: newer revisions, same content)
        run.send(pair(0, Q0, A0, 20));
        run.send(pair(1, Q1, A1, 20));
        // Then they are written at once with the verdicts known, and nothing is asked
        List<ScoredPair> again = run.scored.readValuesToList();
        assertThat(again).extracting(ScoredPair::getJudge).containsExactly(1.0, 0.0);
        assertThat(again.get(0).getOverall()).isCloseTo(first.getOverall(), within(1e-9));
        assertThat(run.judgeRequests.isEmpty()).isTrue();
    }

    @Test
    void aVerdictWithoutAScoreScoresThePairWithoutTheJudgeAndAReplayAsksAgain() {
        ScoredPair without = new PairScorer(new StructuralScorer(), null, ScoringSettings.defaults(), PairJudge.NONE, () -> 7L)
                .score(Fixtures.pair(0, Q0, A0), Fixtures.chunk());
        // Given a pair waiting for the judge
        run.send(pair(0, Q0, A0, 10));
        JudgeRequest asked = run.judgeRequests.readValue();
        // When the judge stage answers that the judge was unavailable
        answer(asked, null);
        // Then the pair is scored on its merits alone, and says why the judge is missing
        ScoredPair s = run.scored.readValue();
        assertThat(s.getJudge()).isNull();
        assertThat(s.getAccepted()).isTrue();
        assertThat(s.getReasons()).last().isEqualTo("judge unavailable: connection refused");
        assertThat(s.getStructural()).isEqualTo(without.getStructural());
        // And a replay asks again: a failure is not a verdict to keep
        run.send(pair(0, Q0, A0, 11));
        assertThat(run.scored.isEmpty()).isTrue();
        assertThat(run.judgeRequests.readValuesToList()).hasSize(1);
    }

    @Test
    void aNewerVersionReplacesTheOneWaitingAndTheOlderVerdictWritesNothing() {
        // Given a pair waiting, then a newer version of it with other content
        run.send(pair(0, Q0, A0, 10));
        run.send(pair(0, Q1, A1, 11));
        List<JudgeRequest> asked = run.judgeRequests.readValuesToList();
        assertThat(asked).hasSize(2);
        // When the older version's verdict comes
        answer(asked.get(0), 1.0);
        // Then nothing is written: an older revision never follows a newer one
        assertThat(run.scored.isEmpty()).isTrue();
        // and the newer one is written with its own verdict
        answer(asked.get(1), 0.5);
        List<ScoredPair> out = run.scored.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getPair().getRevision()).isEqualTo(11L);
        assertThat(out.get(0).getJudge()).isEqualTo(0.5);
    }

    @Test
    void aNewerVersionWithTheSameContentWaitsForTheVerdictAlreadyAskedFor() {
        run.send(pair(0, Q0, A0, 10));
        run.send(pair(0, Q0, A0, 11));
        List<JudgeRequest> asked = run.judgeRequests.readValuesToList();
        assertThat(asked).hasSize(1);
        answer(asked.get(0), 1.0);
        List<ScoredPair> out = run.scored.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getPair().getRevision()).isEqualTo(11L);
    }

    @Test
    void aRemovalWhileThePairWaitsIsWrittenAndTheLateVerdictIsPruned() {
        // Given a pair waiting for its verdict
        run.send(pair(0, Q0, A0, 10));
        JudgeRequest asked = run.judgeRequests.readValue();
        // When the pair is removed, then its verdict comes
        run.send(QaPair.newBuilder(Fixtures.pair(0, "", "")).setRemoved(true).setRevision(12L).build());
        answer(asked, 1.0);
        // Then the removal is written, the pair never comes back, and its verdict is pruned from the compacted topic
        List<ScoredPair> out = run.scored.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getPair().getRemoved()).isTrue();
        List<KeyValue<String, Judgement>> prunes = run.prunes.readKeyValuesToList();
        assertThat(prunes).containsExactly(KeyValue.pair("lte/boost.md#0#0", null));
    }

    @Test
    void aJudgedPairThatIsRemovedTakesItsVerdictWithIt() {
        run.send(pair(0, Q0, A0, 10));
        answer(run.judgeRequests.readValue(), 1.0);
        assertThat(run.scored.readValue().getJudge()).isEqualTo(1.0);

        run.send(QaPair.newBuilder(Fixtures.pair(0, "", "")).setRemoved(true).setRevision(12L).build());

        assertThat(run.scored.readValue().getPair().getRemoved()).isTrue();
        assertThat(run.prunes.readKeyValuesToList()).containsExactly(KeyValue.pair("lte/boost.md#0#0", null));
        // and the same content later is asked about again
        run.send(pair(0, Q0, A0, 13));
        assertThat(run.judgeRequests.readValuesToList()).hasSize(1);
    }

    @Test
    void withoutAJudgeNothingWaitsAndNothingIsAsked() {
        try (ScoringDriver plain = new ScoringDriver(ScoringSettings.defaults())) {
            plain.send(Fixtures.chunk());
            plain.send(pair(0, Q0, A0, 10));
            ScoredPair s = plain.scored.readValue();
            assertThat(s.getJudge()).isNull();
            assertThat(s.getReasons()).noneMatch(r -> r.startsWith("judge"));
            assertThat(plain.judgeRequests.isEmpty()).isTrue();
        }
    }

    @Test
    void pairsLeftWaitingWhenTheJudgeIsTurnedOffArePassedOnWithoutIt() {
        // Given a pair that waited for the judge when the app stopped, restored into a step with no judge any more
        MockProcessorContext<String, JudgeStep.Out> context = new MockProcessorContext<>();
        KeyValueStore<String, JudgeHop> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(JudgeStep.WAITING_STORE), Serdes.String(), JudgeHop.serde())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        PairScorer scorer = new PairScorer(new StructuralScorer(), AcceptancePolicy.defaults(), () -> 7L);
        QaPair waiting = pair(0, Q0, A0, 10);
        PairScorer.Unjudged merits = scorer.merits(waiting, Fixtures.chunk(), Catalogue.EMPTY, null, null);
        JudgeRequest request = JudgeRequest.newBuilder().setPair(waiting).setChunk(Fixtures.chunk()).setCacheKey("k")
                .setRequestedAtMs(1).build();
        store.put(waiting.getPairKey(), new JudgeHop("lte/boost.md", new Envelope(waiting.getPairKey(), false, merits.merits()),
                merits.vetoed(), request));
        java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
        ScoringListener listener = new ScoringListener() {
            @Override
            public void written(ScoredPair scored, float[] pairVector) {
            }

            @Override
            public void waiting(int delta) {
                held.addAndGet(delta);
            }
        };
        JudgeStep step = new JudgeStep(scorer, false, listener);
        step.init(context);
        assertThat(held).hasValue(1);

        // When its scheduled pass runs
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(0);

        // Then the pair goes on to deduplication, scored on its merits and saying why the judge is missing
        var forwarded = context.forwarded();
        assertThat(forwarded).hasSize(1);
        assertThat(forwarded.get(0).record().key()).isEqualTo("lte/boost.md");
        ScoredPair s = ((JudgeStep.Decided) forwarded.get(0).record().value()).envelope().scored().scored();
        assertThat(s.getJudge()).isNull();
        assertThat(s.getAccepted()).isTrue();
        assertThat(s.getReasons()).last().isEqualTo("judge unavailable: " + JudgeStep.TURNED_OFF);
        assertThat(store.approximateNumEntries()).isZero();
        assertThat(held).hasValue(0);
        assertThat(context.scheduledPunctuators().get(0).cancelled()).isTrue();
    }
}
