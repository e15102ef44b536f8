package dev.qastream.runtime.streams;

import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The handlers as {@code KafkaSettings.streams} configures them, on a topology: a processor that throws on a record
 * and a result that cannot be serialized each put the input record on the dead-letter topic once, and the records
 * after it go through; a serializer that cannot reach the registry fails instead, with nothing dead-lettered.
 */
class DeadLetterTopologyTest {
    @TempDir
    Path dir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> in;
    private TestOutputTopic<String, String> out;
    private TestOutputTopic<byte[], byte[]> dlq;
    private final List<String> told = new ArrayList<>();

    @BeforeEach
    void setUp() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(v -> {
                    if (v.equals("throws")) {
                        throw new IllegalArgumentException("cannot process " + v);
                    }
                    return v;
                })
                .to("out", Produced.with(Serdes.String(), Serdes.serdeFrom(new PickySerializer(), Serdes.String().deserializer())));
        Config config = Config.load(null).with(Map.of("data-dir", dir.toString()));
        Properties props = new Properties();
        props.putAll(new KafkaSettings("unused:9092", config).streams("app", "app.dlq"));
        props.put(DeadLetterListener.CONFIG, (DeadLetterListener) (t, p, o, e) -> told.add(t + "@" + o));
        driver = new TopologyTestDriver(builder.build(), props);
        in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
        out = driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.String().deserializer());
        dlq = driver.createOutputTopic("app.dlq", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void aRecordThatFailsIsDeadLetteredOnceAndTheNextGoesThrough() {
        in.pipeInput("a", "throws");
        in.pipeInput("b", "unserializable");
        in.pipeInput("c", "fine");

        assertThat(out.readValuesToList()).containsExactly("fine");
        List<TestRecord<byte[], byte[]>> letters = dlq.readRecordsToList();
        assertThat(letters).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("throws", "unserializable");
        assertThat(new String(letters.get(0).headers().lastHeader("__streams.errors.message").value(),
                StandardCharsets.UTF_8)).isEqualTo("cannot process throws");
        assertThat(told).containsExactly("in@0", "in@1");
    }

    @Test
    void aResultThatCannotReachTheRegistryFailsWithoutADeadLetter() {
        assertThatThrownBy(() -> in.pipeInput("a", "registry down")).hasRootCauseInstanceOf(ConnectException.class);
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(told).isEmpty();
    }

    /** Fails on two values: as a bad value does, and as a registry that cannot be reached does. */
    private static final class PickySerializer implements Serializer<String> {
        @Override
        public byte[] serialize(String topic, String data) {
            if (data.equals("unserializable")) {
                throw new SerializationException("no schema for " + data);
            }
            if (data.equals("registry down")) {
                throw new SerializationException("cannot register", new RuntimeException(new ConnectException("refused")));
            }
            return data.getBytes(StandardCharsets.UTF_8);
        }
    }
}
