package dev.qastream.runtime.kafka;

import dev.qastream.runtime.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaSettingsTest {
    @TempDir
    Path dir;

    @Test
    void clientPropertiesFileReachesEveryKindOfClient() throws Exception {
        // Given a SASL/SSL properties file named in the configuration
        Path props = dir.resolve("client.properties");
        Files.writeString(props, """
                security.protocol=SASL_SSL
                sasl.mechanism=PLAIN
                ssl.truststore.location=/etc/kafka/truststore.jks
                """);
        Config config = Config.load(null).with("kafka.client-properties", props.toString());

        // When client settings are built
        KafkaSettings settings = new KafkaSettings("broker:9093", config);

        // Then admin, producer, transactional producer, consumer and Streams settings all carry them
        for (var p : java.util.List.of(settings.admin(), settings.producer("c"), settings.transactionalProducer("t"),
                settings.consumer("g"), settings.streams("app", "app.dlq"))) {
            assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN");
        }
        // and our own settings still win where they overlap
        assertThat(settings.admin()).containsEntry("bootstrap.servers", "broker:9093");
    }

    @Test
    void missingClientPropertiesFileIsAClearError() {
        Config config = Config.load(null).with("kafka.client-properties", dir.resolve("nope.properties").toString());
        assertThatThrownBy(() -> new KafkaSettings("b:9092", config))
                .hasMessageContaining("kafka.client-properties").hasMessageContaining("nope.properties");
    }

    @Test
    void aStreamsAppMayAskForLongerTransactionsUnlessTheClientPropertiesSetThem() throws Exception {
        KafkaSettings plain = new KafkaSettings("b:9092", Config.load(null));
        assertThat(plain.streams("app", "app.dlq")).doesNotContainKey("producer.transaction.timeout.ms");
        assertThat(plain.streams("app", "app.dlq", java.time.Duration.ofSeconds(30)))
                .containsEntry("producer.transaction.timeout.ms", 30_000)
                .containsEntry("processing.guarantee", "exactly_once_v2");

        Path props = dir.resolve("client.properties");
        Files.writeString(props, "producer.transaction.timeout.ms=3000\n");
        KafkaSettings tuned = new KafkaSettings("b:9092", Config.load(null).with("kafka.client-properties", props.toString()));
        assertThat(tuned.streams("app", "app.dlq", java.time.Duration.ofSeconds(30))).containsEntry("producer.transaction.timeout.ms", "3000");
    }

    @Test
    void aStreamsInstanceThatDiedGivesItsPartitionsUpWithinTenSecondsUnlessTheClientPropertiesSayOtherwise() throws Exception {
        // Kafka's default is 45 s: a stage restarted after a crash would wait that long for the dead member's session
        KafkaSettings plain = new KafkaSettings("b:9092", Config.load(null));
        assertThat(plain.streams("app", "app.dlq"))
                .containsEntry("consumer.session.timeout.ms", 10_000)
                .containsEntry("consumer.heartbeat.interval.ms", 3_000);

        Path props = dir.resolve("client.properties");
        Files.writeString(props, "session.timeout.ms=30000\n");
        KafkaSettings tuned = new KafkaSettings("b:9092", Config.load(null).with("kafka.client-properties", props.toString()));
        assertThat(tuned.streams("app", "app.dlq")).containsEntry("session.timeout.ms", "30000")
                .doesNotContainKey("consumer.session.timeout.ms");
    }

    @Test
    void everyProducerWaitsForAllInSyncReplicasAndIsIdempotent() {
        KafkaSettings settings = new KafkaSettings("b:9092", Config.load(null));
        for (var p : java.util.List.of(settings.producer("c"), settings.transactionalProducer("t"), settings.rawProducer("r"))) {
            assertThat(p).containsEntry("acks", "all").containsEntry("enable.idempotence", true);
        }
        assertThat(settings.streams("app", "app.dlq")).containsEntry("processing.guarantee", "exactly_once_v2");
    }
}
