package dev.qastream.sink.export;

import dev.qastream.schemas.ReviewDecision;
import dev.qastream.schemas.ReviewVerdict;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * How many pairs people rejected, for the dataset card: they are not in the dataset, so they are counted from
 * review.decisions (newest decision per pair key), as the REJECTED decisions whose pair key the dataset does not
 * hold. A decision on a pair made again since (and in the dataset by its scores) is not counted.
 */
public final class PeopleRejected {
    private PeopleRejected() {
    }

    public static long count(KeyedSpill decisions, Deserializer<ReviewDecision> values, String topic, KeyedSpill dataset) {
        long[] rejected = {0};
        decisions.forEach((key, bytes) -> {
            if (values.deserialize(topic, bytes).getDecision() == ReviewVerdict.REJECTED && dataset.get(key) == null) {
                rejected[0]++;
            }
        });
        return rejected[0];
    }
}
