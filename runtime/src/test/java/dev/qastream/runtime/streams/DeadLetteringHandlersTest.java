package dev.qastream.runtime.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handlers' decisions: a bad record is dead-lettered and skipped, a transient failure is retried. */
class DeadLetteringHandlersTest {
    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = "not avro".getBytes(StandardCharsets.UTF_8);
    private final List<String> told = new ArrayList<>();
    private final Map<String, Object> configs = Map.of(
            StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "scoring.dlq",
            DeadLetterListener.CONFIG, (DeadLetterListener) (t, p, o, e) -> told.add(t + "-" + p + "@" + o));

    @Test
    void aRecordThatCannotBeReadIsDeadLetteredAsItWasAndSkipped() {
        DeadLetteringDeserializationHandler handler = new DeadLetteringDeserializationHandler();
        handler.configure(configs);

        DeserializationExceptionHandler.Response r = handler.handleError(context(), record(),
                new SerializationException("Unknown magic byte!"));

        assertThat(r.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(r.deadLetterQueueRecords()).hasSize(1);
        ProducerRecord<byte[], byte[]> letter = r.deadLetterQueueRecords().get(0);
        assertThat(letter.topic()).isEqualTo("scoring.dlq");
        assertThat(letter.value()).isEqualTo(VALUE);
        assertThat(new String(letter.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8))
                .isEqualTo("Unknown magic byte!");
        assertThat(told).containsExactly("generation.pairs-1@42");
    }

    @Test
    void aRegistryThatCannotBeReachedFailsTheThreadWithoutADeadLetter() {
        DeadLetteringDeserializationHandler handler = new DeadLetteringDeserializationHandler();
        handler.configure(configs);

        for (Exception transport : List.of(
                new RuntimeException(new IOException("HTTP/1.1 header parser received no bytes")),
                new IllegalStateException(new java.net.ConnectException()),
                new RuntimeException(new HttpTimeoutException("request timed out")))) {
            DeserializationExceptionHandler.Response r = handler.handleError(context(), record(), transport);
            assertThat(r.result()).as(transport.toString()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
            assertThat(r.deadLetterQueueRecords()).isEmpty();
        }
        assertThat(told).isEmpty();
    }

    @Test
    void processingFailuresAreDeadLetteredUnlessTransient() {
        DeadLetteringProcessingHandler handler = new DeadLetteringProcessingHandler();
        handler.configure(configs);
        Record<String, String> record = new Record<>("k", "v", 0L);

        ProcessingExceptionHandler.Response bad = handler.handleError(context(), record, new NullPointerException("no chunk"));
        ProcessingExceptionHandler.Response down = handler.handleError(context(), record,
                new org.apache.kafka.streams.errors.StreamsException("Unable to serialize record",
                        new SerializationException(new java.net.ConnectException("registry"))));
        ProcessingExceptionHandler.Response retriable = handler.handleError(context(), record,
                new org.apache.kafka.common.errors.TimeoutException("store"));

        assertThat(bad.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(bad.deadLetterQueueRecords()).extracting(ProducerRecord::topic).containsExactly("scoring.dlq");
        assertThat(down.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(down.deadLetterQueueRecords()).isEmpty();
        assertThat(retriable.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(told).containsExactly("generation.pairs-1@42");
    }

    @Test
    void anAppWithoutADeadLetterTopicIsAConfigurationError() {
        assertThatThrownBy(() -> new DeadLetteringDeserializationHandler().configure(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("errors.dead.letter.queue.topic.name");
        assertThatThrownBy(() -> new DeadLetteringProcessingHandler().configure(Map.of()))
                .isInstanceOf(ConfigException.class);
    }

    private static ConsumerRecord<byte[], byte[]> record() {
        return new ConsumerRecord<>("generation.pairs", 1, 42, KEY, VALUE);
    }

    /** Where the failed record was read: what Kafka Streams hands a handler. */
    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            private final Headers headers = new RecordHeaders();

            @Override public String topic() { return "generation.pairs"; }
            @Override public int partition() { return 1; }
            @Override public long offset() { return 42; }
            @Override public Headers headers() { return headers; }
            @Override public String processorNodeId() { return "KSTREAM-SOURCE-0000000000"; }
            @Override public TaskId taskId() { return new TaskId(0, 1); }
            @Override public long timestamp() { return 0; }
            @Override public byte[] sourceRawKey() { return KEY; }
            @Override public byte[] sourceRawValue() { return VALUE; }
        };
    }
}
