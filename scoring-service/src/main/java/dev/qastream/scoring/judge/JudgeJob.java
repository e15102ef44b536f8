package dev.qastream.scoring.judge;

import dev.qastream.schemas.JudgeRequest;
import dev.qastream.schemas.Judgement;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import dev.qastream.runtime.kafka.OffsetLedger;
import org.apache.kafka.common.TopicPartition;

/** One request the judge worker took, from the poll until its verdict is committed (or its partition revoked). */
final class JudgeJob implements OffsetLedger.Entry {
    final ConsumerRecord<String, JudgeRequest> record;
    final TopicPartition partition;
    /** Set once decided (poll-loop thread only): the verdict to write, or {@link #skipped}. */
    Judgement verdict;
    /** A record with nothing to judge (null, or unreadable): only its offset is committed. */
    boolean skipped;
    /** Its partition was revoked: whatever it yields is discarded. */
    volatile boolean dropped;

    JudgeJob(ConsumerRecord<String, JudgeRequest> record) {
        this.record = record;
        this.partition = new TopicPartition(record.topic(), record.partition());
    }

    static JudgeJob skipped(TopicPartition partition, long offset) {
        JudgeJob job = new JudgeJob(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, null, null));
        job.skipped = true;
        return job;
    }

    @Override
    public boolean decided() {
        return skipped || verdict != null;
    }

    @Override
    public TopicPartition partition() {
        return partition;
    }

    @Override
    public long offset() {
        return record.offset();
    }

    @Override
    public void markDropped() {
        dropped = true;
    }

    JudgeRequest request() {
        return record.value();
    }
}
