package dev.qastream.generation;

import dev.qastream.runtime.kafka.TopicValueSerializer;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.kafka.ValueSerdeFactory;
import dev.qastream.runtime.serde.AvroSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A worker's start does not wait for ever on a schema registry that takes requests and never answers. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class OutputWarmUpTest {

    @Test
    void aRegistryThatNeverAnswersFailsTheWarmUpAfterItsTimeoutWithTheReason() throws Exception {
        // Given a registry address that accepts connections and requests but never writes a byte back
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (Exception closed) {
                        return;
                    }
                }
            });
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/apis/registry/v3";
            Topics topics = new Topics(new ValueSerdeFactory() {
                @Override
                public <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
                    return AvroSerdes.valueSerde(url);
                }
            });
            TopicValueSerializer values = TopicValueSerializer.of(topics.pairs, topics.deadLetters, topics.cache,
                    topics.request("fast"), topics.request("balanced"), topics.request("quality"));
            MockProducer<String, Object> producer = new MockProducer<>(true, null, new StringSerializer(), values);

            // When a worker warms up its output against it, with a 2 s bound
            long start = System.nanoTime();
            assertThatThrownBy(() -> OutputWarmUp.run(producer, values, topics, Duration.ofSeconds(2)))

                    // Then the start fails after the bound, saying what it waited for, and not long after it
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("schema registry").hasMessageContaining("within 2 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
            assertThat(held).as("the registry was asked").isNotEmpty();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
