package dev.qastream.runtime.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qastream.runtime.serde.AvroSerdes;
import dev.qastream.schemas.IngestError;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class EmbeddedPlatformTest {

    private static final String TOPIC = "ingest.errors";

    @TempDir
    Path dataDir;

    @Test
    void writesConfluentFramedAvroThatSurvivesARestart() throws Exception {
        IngestError error = IngestError.newBuilder()
                .setPath("docs/broken.pdf")
                .setReason("The PDF has no text layer")
                .setDetail(null)
                .setOccurredAtMs(1_700_000_000_000L)
                .build();
        int schemaId;
        byte[] written;

        // Given a fresh platform and a topic
        EmbeddedPlatform platform = EmbeddedPlatform.start(dataDir);
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }

            // And the same schema already registered under another subject, so that its contentId
            // (shared) and the new version's globalId (not shared) differ: only the contentId resolves
            postToCcompat(platform, "/subjects/decoy-value/versions",
                    new ObjectMapper().writeValueAsString(Map.of("schema", IngestError.getClassSchema().toString())));

            // When an IngestError is produced through the registry-backed serde
            try (Serializer<IngestError> valueSerializer = AvroSerdes.valueSerializer(platform.registryApiUrl());
                 KafkaProducer<String, IngestError> producer = new KafkaProducer<>(
                         Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()),
                         new StringSerializer(), valueSerializer)) {
                producer.send(new ProducerRecord<>(TOPIC, error.getPath(), error)).get();
            }

            // Then the raw value is magic byte 0 + a 4-byte id, with no headers
            ConsumerRecord<String, byte[]> raw = readAll(platform.bootstrapServers()).getFirst();
            written = raw.value();
            assertThat(raw.headers().toArray()).isEmpty();
            assertThat(written[0]).isEqualTo((byte) 0);
            schemaId = ByteBuffer.wrap(written, 1, 4).getInt();

            // And the Confluent-compatible API resolves that id to the IngestError schema
            assertThat(ccompatSchema(platform, schemaId)).contains("IngestError");
            assertThat(ccompatGet(platform, "/subjects/" + TOPIC + "-value/versions/latest"))
                    .contains("\"id\":" + schemaId);

            // And the deserializer reads back an equal record
            try (Deserializer<IngestError> deserializer = AvroSerdes.valueDeserializer(platform.registryApiUrl())) {
                assertThat(deserializer.deserialize(TOPIC, raw.headers(), written)).isEqualTo(error);
            }
        } finally {
            platform.close();
        }
        // And a second close is harmless, and the registry child process is gone
        platform.close();
        assertThat(ProcessHandle.of(platform.registry().pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();

        // When the platform restarts on the same data
        EmbeddedPlatform restarted = EmbeddedPlatform.start(dataDir);
        try {
            // Then the id still resolves and the topic still holds the same record
            assertThat(ccompatSchema(restarted, schemaId)).contains("IngestError");
            List<ConsumerRecord<String, byte[]>> records = readAll(restarted.bootstrapServers());
            assertThat(records).hasSize(1);
            assertThat(records.getFirst().value()).isEqualTo(written);
            try (Deserializer<IngestError> deserializer = AvroSerdes.valueDeserializer(restarted.registryApiUrl())) {
                assertThat(deserializer.deserialize(TOPIC, records.getFirst().headers(), written)).isEqualTo(error);
            }
        } finally {
            restarted.close();
        }
    }

    /** Everything in partition 0 of the topic, read from the beginning without a consumer group. */
    private static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap) {
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(Set.of(partition));
            consumer.seekToBeginning(Set.of(partition));
            long end = consumer.endOffsets(Set.of(partition)).get(partition);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            assertThat(records).as("records in %s", TOPIC).isNotEmpty();
            return records;
        }
    }

    private static String ccompatSchema(EmbeddedPlatform platform, int id) throws Exception {
        return ccompatGet(platform, "/schemas/ids/" + id);
    }

    private static String ccompatGet(EmbeddedPlatform platform, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(platform.registry().ccompatUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    private static void postToCcompat(EmbeddedPlatform platform, String path, String json) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(platform.registry().ccompatUrl() + path))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isEqualTo(200);
    }

}
