package dev.qastream.sink;

import dev.qastream.schemas.ReviewDecision;
import dev.qastream.schemas.ScoredPair;

/**
 * What reaches the sink's one processor, from either of its co-partitioned inputs (both keyed by pair key): a
 * scored pair (null: a legacy removal) or a person's decision (null: the decision withdrawn).
 */
sealed interface SinkInput {
    record Scored(ScoredPair pair) implements SinkInput {
    }

    record Decided(ReviewDecision decision) implements SinkInput {
    }
}
