package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Deduplication by document (the default) or by feature, across the documents of one feature. */
class DedupScopeTest {
    private static final String Q = "What is the default value of EUtranCellFDD.ulPowerBoostEnabled?";
    private static final String A = "The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled).";

    private static final class Run implements AutoCloseable {
        final ScoringDriver on;
        final TestInputTopic<String, Chunk> chunks;
        final TestInputTopic<String, QaPair> pairs;
        final TestOutputTopic<String, ScoredPair> scored;

        Run(ScoringSettings.DedupScope scope) {
            ScoringSettings d = ScoringSettings.defaults();
            on = new ScoringDriver(new ScoringSettings(d.policy(), d.nearDuplicate(), d.domain(), false, "quality",
                    0.25, 4, scope));
            chunks = on.chunks;
            pairs = on.pairs;
            scored = on.scored;
        }

        /** The feature's chunk in a document of its own, as a feature described in two files. */
        void chunk(String document, String checksum, String feature) {
            Chunk c = Chunk.newBuilder(Fixtures.chunk(document, checksum, Fixtures.TEXT, Fixtures.chunk().getParameters()))
                    .setDocument(DocumentInfo.newBuilder().setTitle(feature).setFeatureName(feature).build()).build();
            chunks.pipeInput(c.getChunkId(), c);
        }

        void pair(String document, String checksum, long revision) {
            QaPair p = QaPair.newBuilder(Fixtures.pair(document, checksum, 0, Q, A)).setRevision(revision).build();
            pairs.pipeInput(p.getPairKey(), p);
        }

        Map<String, ScoredPair> latest() {
            return scored.readKeyValuesToList().stream()
                    .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value, (a, b) -> b));
        }

        @Override
        public void close() {
            on.close();
        }
    }

    @Test
    void byDocumentTheSamePairInTwoDocumentsOfOneFeatureIsKeptTwice() {
        try (Run run = new Run(ScoringSettings.DedupScope.DOCUMENT)) {
            run.chunk("boost-description.md", "c1", "Uplink Power Boost");
            run.chunk("boost-parameters.md", "c2", "Uplink Power Boost");
            run.pair("boost-description.md", "c1", 1);
            run.pair("boost-parameters.md", "c2", 1);

            assertThat(run.latest().values()).hasSize(2).allSatisfy(s -> assertThat(s.getAccepted()).isTrue());
        }
    }

    @Test
    void byFeatureOneDocumentsPairIsADuplicateOfTheOthersUntilItsDocumentIsAnotherFeature() {
        try (Run run = new Run(ScoringSettings.DedupScope.FEATURE)) {
            // Given the same pair from two documents of one feature
            run.chunk("boost-parameters.md", "c2", "Uplink Power Boost");
            run.chunk("boost-description.md", "c1", "Uplink Power Boost");
            run.pair("boost-parameters.md", "c2", 1);
            run.pair("boost-description.md", "c1", 1);

            // Then one is a duplicate of the other, across documents: of equal scores, the smaller pair key is kept
            Map<String, ScoredPair> first = run.latest();
            assertThat(first.get("boost-description.md#0#0").getAccepted()).isTrue();
            ScoredPair dup = first.get("boost-parameters.md#0#0");
            assertThat(dup.getAccepted()).isFalse();
            assertThat(dup.getDuplicateOf()).isEqualTo("boost-description.md#0#0");

            // When the kept pair's document turns out to describe another feature, and its pair is made again
            run.chunk("boost-description.md", "c3", "Downlink Power Boost");
            run.pair("boost-description.md", "c3", 2);

            // Then it is kept in its new feature, and the pair it had displaced takes its place in the old one
            List<KeyValue<String, ScoredPair>> out = run.scored.readKeyValuesToList();
            Map<String, ScoredPair> now = out.stream().collect(Collectors.toMap(kv -> kv.key, kv -> kv.value, (a, b) -> b));
            assertThat(now.get("boost-description.md#0#0").getAccepted()).isTrue();
            assertThat(now.get("boost-parameters.md#0#0").getAccepted()).isTrue();
            assertThat(now.get("boost-parameters.md#0#0").getDuplicateOf()).isNull();
            // and the moved pair was written once, from its new group: no removal of it from the old one
            assertThat(out).filteredOn(kv -> kv.key.equals("boost-description.md#0#0")).hasSize(1);
        }
    }

    @Test
    void aRemovalOfAPairDeduplicatedByFeatureReachesItsFeatureAndFreesItsDuplicate() {
        try (Run run = new Run(ScoringSettings.DedupScope.FEATURE)) {
            run.chunk("a.md", "ca", "Uplink Power Boost");
            run.chunk("b.md", "cb", "Uplink Power Boost");
            run.pair("a.md", "ca", 1);
            run.pair("b.md", "cb", 1);
            run.scored.readKeyValuesToList();

            // When a.md's pair is removed (its document deleted: the chunk goes first, then the removal)
            run.chunks.pipeInput("a.md#0", (Chunk) null);
            QaPair removal = QaPair.newBuilder(Fixtures.pair("a.md", "ca", 0, "", "")).setRemoved(true).setRevision(5L).build();
            run.pairs.pipeInput(removal.getPairKey(), removal);

            // Then the removal is written, and b.md's pair, its duplicate, is accepted in its place
            Map<String, ScoredPair> now = run.latest();
            assertThat(now.get("a.md#0#0").getPair().getRemoved()).isTrue();
            assertThat(now.get("b.md#0#0").getAccepted()).isTrue();
        }
    }
}
