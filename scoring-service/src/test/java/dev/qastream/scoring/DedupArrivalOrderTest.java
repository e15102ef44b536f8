package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The dataset depends on the pairs, not on the order in which near-duplicates from neighbouring chunks arrive. */
class DedupArrivalOrderTest {
    private static final QaPair FIRST_CHUNKS = pair(0, "What is the default value of EUtranCellFDD.ulPowerBoostEnabled?",
            "The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled).");
    private static final QaPair SECOND_CHUNKS = pair(1, "What is the default value for EUtranCellFDD.ulPowerBoostEnabled?",
            "The default value for EUtranCellFDD.ulPowerBoostEnabled is false (disabled).");

    /** A pair of chunk {@code ordinal} of lte/boost.md; both chunks hold the same section. */
    private static QaPair pair(int ordinal, String question, String answer) {
        String chunkId = "lte/boost.md#" + ordinal;
        return QaPair.newBuilder(Fixtures.pair(0, question, answer)).setChunkId(chunkId).setPairKey(chunkId + "#0").build();
    }

    private static Chunk chunk(int ordinal) {
        return Chunk.newBuilder(Fixtures.chunk()).setChunkId("lte/boost.md#" + ordinal).setOrdinal(ordinal).build();
    }

    /** The last record of each key written, as the compacted topic (and the dataset built from it) keeps it. */
    private static Map<String, ScoredPair> dataset(List<QaPair> arrivals) {
        try (ScoringDriver run = new ScoringDriver(ScoringSettings.defaults())) {
            run.send(chunk(0));
            run.send(chunk(1));
            arrivals.forEach(run::send);
            return run.scored.readKeyValuesToList().stream()
                    .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value, (a, b) -> b));
        }
    }

    @Test
    void nearDuplicatesFromNeighbouringChunksGiveTheSameDatasetInEitherOrder() {
        // Given two near-duplicate pairs from neighbouring chunks, arriving in one order and then the other
        Map<String, ScoredPair> oneWay = dataset(List.of(FIRST_CHUNKS, SECOND_CHUNKS));
        Map<String, ScoredPair> otherWay = dataset(List.of(SECOND_CHUNKS, FIRST_CHUNKS));

        // Then the dataset is the same: one of them kept, by score then key, and the other pointing at it
        assertThat(otherWay).isEqualTo(oneWay);
        ScoredPair a = oneWay.get("lte/boost.md#0#0");
        ScoredPair b = oneWay.get("lte/boost.md#1#0");
        ScoredPair winner = a.getOverall() >= b.getOverall() ? a : b;
        ScoredPair loser = winner == a ? b : a;
        assertThat(winner.getAccepted()).isTrue();
        assertThat(winner.getDuplicateOf()).isNull();
        assertThat(loser.getAccepted()).isFalse();
        assertThat(loser.getDuplicateOf()).isEqualTo(winner.getPair().getPairKey());
    }
}
