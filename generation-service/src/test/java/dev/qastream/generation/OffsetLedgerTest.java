package dev.qastream.generation;

import dev.qastream.runtime.kafka.OffsetLedger;
import dev.qastream.schemas.GenerationRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetLedgerTest {
    private final OffsetLedger<GenerationJob> ledger = new OffsetLedger<>();

    @Test
    void aResultDecidedOutOfOrderWaitsUntilEveryEarlierOffsetOfItsPartitionIsDecided() {
        // Given offsets 10, 11, 12 on partition 0 and 5 on partition 1
        GenerationJob a = job(0, 10);
        GenerationJob b = job(0, 11);
        GenerationJob c = job(0, 12);
        GenerationJob d = job(1, 5);
        List.of(a, b, c, d).forEach(ledger::add);

        // When 11 and 12 finish before 10
        b.outcome = new GenerationJob.Skipped();
        c.outcome = new GenerationJob.Skipped();
        d.outcome = new GenerationJob.Skipped();

        // Then only partition 1 can be written
        assertThat(ledger.decidedPrefix(null)).containsExactly(d);

        // When 10 finishes: the whole of partition 0, and the offset after 12
        a.outcome = new GenerationJob.Skipped();
        List<GenerationJob> ready = ledger.decidedPrefix(List.of(new TopicPartition("t", 0)));
        assertThat(ready).containsExactly(a, b, c);
        assertThat(OffsetLedger.nextOffsets(ready).get(new TopicPartition("t", 0)).offset()).isEqualTo(13);
        ledger.committed(ready);
        assertThat(ledger.size()).isEqualTo(1);
    }

    @Test
    void droppedPartitionsMarkTheirJobsSoLateResultsAreDiscarded() {
        GenerationJob a = job(0, 1);
        GenerationJob b = job(1, 1);
        ledger.add(a);
        ledger.add(b);

        ledger.drop(List.of(new TopicPartition("t", 0)));

        assertThat(a.dropped).isTrue();
        assertThat(b.dropped).isFalse();
        assertThat(ledger.size()).isEqualTo(1);
    }

    private static GenerationJob job(int partition, long offset) {
        return new GenerationJob(new ConsumerRecord<String, GenerationRequest>("t", partition, offset, "k", null));
    }
}
