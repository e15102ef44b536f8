package dev.qastream.scoring;

import dev.qastream.schemas.JudgeRequest;
import dev.qastream.schemas.Judgement;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pairs scored in batches: when a batch goes, in which order, and that batching changes no score. That waiting pairs
 * survive a restart is tested on a real broker ({@link ScoringRestartTest}): this driver wipes its state on close.
 */
class ScoringBatchTest {
    private static final Duration LINGER = Duration.ofMillis(100);
    private static final List<String[]> QA = List.of(
            new String[]{"What is the default value of EUtranCellFDD.ulPowerBoostEnabled?",
                    "The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled)."},
            new String[]{"What is the valid range of EUtranCellFDD.ulPowerBoostRsrpThreshold?",
                    "EUtranCellFDD.ulPowerBoostRsrpThreshold takes values from -140 to -44 dBm."},
            new String[]{"What is the default value of EUtranCellFDD.ulPowerBoostMaxOffset?",
                    "The default value of EUtranCellFDD.ulPowerBoostMaxOffset is 7 dB."},
            new String[]{"How often does the eNodeB evaluate the RSRP for the uplink power boost?",
                    "The eNodeB evaluates the RSRP every 200 ms."});

    @TempDir
    Path state;

    /** A driver over the topology with this batching, its state in the test's folder, the chunk already in. */
    private final class Run implements AutoCloseable {
        final ScoringDriver on;
        final TopologyTestDriver driver;
        final TestOutputTopic<String, ScoredPair> scored;
        final TestOutputTopic<String, JudgeRequest> judgeRequests;
        final TestInputTopic<String, Judgement> verdicts;

        Run(Batching batching, String appId) {
            this(batching, appId, PairJudge.NONE);
        }

        Run(Batching batching, String appId, PairJudge judge) {
            this(batching, appId, judge, ScoringListener.NONE);
        }

        Run(Batching batching, String appId, PairJudge judge, ScoringListener listener) {
            ScoringSettings d = ScoringSettings.defaults();
            ScoringSettings settings = new ScoringSettings(d.policy(), d.nearDuplicate(), d.domain(),
                    judge != PairJudge.NONE, "quality", 0.25, 4, ScoringSettings.DedupScope.DOCUMENT);
            Properties props = new Properties();
            props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
            on = new ScoringDriver(ScoringDriver.scorer(settings, judge), batching, props, listener);
            driver = on.driver;
            scored = on.scored;
            judgeRequests = on.judgeRequests;
            verdicts = on.verdicts;
            on.send(Fixtures.chunk());
        }

        void send(QaPair p) {
            on.send(p);
        }

        void sendAll() {
            for (int i = 0; i < QA.size(); i++) {
                send(Fixtures.pair(i, QA.get(i)[0], QA.get(i)[1]));
            }
        }

        @Override
        public void close() {
            on.close();
        }
    }

    @Test
    void aBatchGoesWhenFullOrWhenItsOldestPairHasWaitedTheLingerTime() {
        try (Run run = new Run(new Batching(3, LINGER), "batch-timing")) {
            // Two pairs wait: the batch holds three
            run.send(Fixtures.pair(0, QA.get(0)[0], QA.get(0)[1]));
            run.send(Fixtures.pair(1, QA.get(1)[0], QA.get(1)[1]));
            assertThat(run.scored.isEmpty()).isTrue();

            // The linger time passes: both come out, in arrival order
            run.driver.advanceWallClockTime(LINGER);
            assertThat(run.scored.readKeyValuesToList()).extracting(kv -> kv.key)
                    .containsExactly("lte/boost.md#0#0", "lte/boost.md#0#1");

            // A full batch goes at once, with no time passing
            run.send(Fixtures.pair(2, QA.get(2)[0], QA.get(2)[1]));
            run.send(Fixtures.pair(3, QA.get(3)[0], QA.get(3)[1]));
            run.send(Fixtures.pair(4, "What does EUtranCellFDD.ulPowerBoostEnabled switch?",
                    "EUtranCellFDD.ulPowerBoostEnabled switches the uplink power boost on or off for the cell."));
            assertThat(run.scored.readKeyValuesToList()).extracting(kv -> kv.key)
                    .containsExactly("lte/boost.md#0#2", "lte/boost.md#0#3", "lte/boost.md#0#4");
        }
    }

    @Test
    void batchedScoresAreTheScoresOfPairsScoredOneAtATime() {
        List<ScoredPair> single;
        try (Run run = new Run(Batching.ONE_AT_A_TIME, "one-at-a-time")) {
            run.sendAll();
            single = run.scored.readValuesToList();
        }
        List<ScoredPair> batched;
        try (Run run = new Run(new Batching(QA.size(), LINGER), "batched")) {
            run.sendAll();
            batched = run.scored.readValuesToList();
        }
        assertThat(batched).hasSize(QA.size());
        assertThat(single).hasSize(QA.size());
        for (int i = 0; i < QA.size(); i++) {
            ScoredPair a = single.get(i);
            ScoredPair b = batched.get(i);
            assertThat(b.getPair().getPairKey()).isEqualTo(a.getPair().getPairKey());
            assertThat(b.getCoherence()).isNotNull().isCloseTo(a.getCoherence(), org.assertj.core.data.Offset.offset(1e-4));
            assertThat(b.getRelevance()).isNotNull().isCloseTo(a.getRelevance(), org.assertj.core.data.Offset.offset(1e-4));
            assertThat(b.getOverall()).isCloseTo(a.getOverall(), org.assertj.core.data.Offset.offset(1e-4));
            assertThat(b.getAccepted()).isEqualTo(a.getAccepted());
            assertThat(b.getReasons()).isEqualTo(a.getReasons());
        }
        // and the set is not uniform: the wrong default is rejected by the fact check in both
        assertThat(batched.get(2).getAccepted()).isFalse();
        assertThat(batched.get(0).getAccepted()).isTrue();
    }

    @Test
    void aRemovalAndAnOlderRevisionInOneBatchKeepTheirOrderAndTheNewestWins() {
        try (Run run = new Run(new Batching(10, LINGER), "removal-order")) {
            run.send(Fixtures.pair(0, QA.get(0)[0], QA.get(0)[1]));                                       // revision 10
            run.send(QaPair.newBuilder(Fixtures.pair(0, "", "")).setRemoved(true).setRevision(12L).build());
            run.send(QaPair.newBuilder(Fixtures.pair(0, QA.get(1)[0], QA.get(1)[1])).setRevision(11L).build()); // older
            run.driver.advanceWallClockTime(LINGER);

            List<ScoredPair> out = new ArrayList<>(run.scored.readValuesToList());
            assertThat(out).hasSize(2);
            assertThat(out.get(0).getPair().getRemoved()).isFalse();
            assertThat(out.get(1).getPair().getRemoved()).isTrue();
            assertThat(out.get(1).getPair().getRevision()).isEqualTo(12L);
        }
    }

    @Test
    void aChunkWithNoVectorYetIsEmbeddedInItsPairsCallAndKeptForItsLaterPairs() {
        List<List<String>> calls = new ArrayList<>();
        Embedder counting = texts -> {
            calls.add(List.copyOf(texts));
            return MiniLmEmbedder.shared().embed(texts);
        };
        ScoringSettings settings = ScoringSettings.defaults();
        PairScorer scorer = new PairScorer(new StructuralScorer(), new SemanticScorer(counting, List.of()), settings,
                PairJudge.NONE, () -> 7L);
        Properties props = new Properties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "chunk-with-pairs");
        try (ScoringDriver on = new ScoringDriver(scorer, new Batching(2, LINGER), props)) {
            // The chunk arrives; its pairs come before the chunk-vector step has had a quiet moment to embed it
            on.send(Fixtures.chunk());
            on.send(Fixtures.pair(0, QA.get(0)[0], QA.get(0)[1]));
            on.send(Fixtures.pair(1, QA.get(1)[0], QA.get(1)[1]));

            // One call: the two pairs' questions and answers, then the chunk's head
            assertThat(calls).hasSize(1);
            assertThat(calls.getFirst()).hasSize(5)
                    .startsWith(QA.get(0)[0], QA.get(0)[1], QA.get(1)[0], QA.get(1)[1])
                    .endsWith(SemanticScorer.chunkHead(Fixtures.chunk().getText()));
            assertThat(on.scored.readValuesToList()).hasSize(2).allSatisfy(p -> assertThat(p.getRelevance()).isNotNull());

            // The next pairs of the chunk find its vector kept: only their own texts are embedded
            on.send(Fixtures.pair(2, QA.get(2)[0], QA.get(2)[1]));
            on.send(Fixtures.pair(3, QA.get(3)[0], QA.get(3)[1]));
            assertThat(calls).hasSize(2);
            assertThat(calls.get(1)).containsExactly(QA.get(2)[0], QA.get(2)[1], QA.get(3)[0], QA.get(3)[1]);
            assertThat(on.scored.readValuesToList()).hasSize(2);
        }
    }

    @Test
    void theMetersCountBatchesEmbeddingTimeJudgementsAndPairsWaitingForTheJudge() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ScoringMetrics metrics = new ScoringMetrics(meters, new Diversity());
        try (Run run = new Run(new Batching(QA.size(), LINGER), "metered", JudgeStepTest.NEVER_ASKED, metrics)) {
            // Pairs waiting for their batch are counted as held (no consumer lag shows them)
            for (int i = 0; i < QA.size() - 1; i++) {
                run.send(Fixtures.pair(i, QA.get(i)[0], QA.get(i)[1]));
            }
            assertThat(metrics.waiting()).isEqualTo(QA.size() - 1);
            assertThat(meters.get("qastream.scoring.waiting").gauge().value()).isEqualTo(QA.size() - 1);
            // and so are pairs waiting for the judge, until their verdicts come
            run.send(Fixtures.pair(QA.size() - 1, QA.getLast()[0], QA.getLast()[1]));
            assertThat(metrics.waiting()).isEqualTo(QA.size());
            for (var request : run.judgeRequests.readValuesToList()) {
                run.verdicts.pipeInput(request.getPair().getPairKey(), JudgeStepTest.verdict(request, 1.0));
            }
            assertThat(metrics.waiting()).isZero();
            for (int i = 0; i < QA.size(); i++) { // again: judged from the verdicts known
                run.send(QaPair.newBuilder(Fixtures.pair(i, QA.get(i)[0], QA.get(i)[1])).setRevision(20L).build());
            }
            assertThat(metrics.waiting()).isZero();
            // A removal of a slot that never held a pair is dropped, counted, and never waits for a batch
            run.send(QaPair.newBuilder(Fixtures.pair(7, "", "")).setRemoved(true).setRevision(20L).build());
            assertThat(metrics.waiting()).isZero();
        }
        assertThat(meters.get("qastream.scoring.removals.unfilled").counter().count()).isEqualTo(1);
        assertThat(meters.get("qastream.scoring.batch.pairs").summary().count()).isEqualTo(2);
        assertThat(meters.get("qastream.scoring.batch.pairs").summary().max()).isEqualTo(QA.size());
        assertThat(meters.get("qastream.scoring.embedding").timer().count()).isEqualTo(2);
        assertThat(meters.get("qastream.scoring.judgements").tag("outcome", "asked").counter().count()).isEqualTo(4);
        assertThat(meters.get("qastream.scoring.judgements").tag("outcome", "kept").counter().count()).isEqualTo(4);
        assertThat(meters.get("qastream.scoring.pairs").tag("outcome", "accepted").counter().count()).isPositive();
    }
}
