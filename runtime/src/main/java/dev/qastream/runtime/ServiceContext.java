package dev.qastream.runtime;

import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.kafka.ValueSerdeFactory;
import dev.qastream.runtime.serde.AvroSerdes;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** What every service needs to run: configuration, where Kafka and the registry are, the topics, the meters. */
public record ServiceContext(Config config, KafkaSettings kafka, String registryApiUrl, Topics topics,
                             MeterRegistry meters) {

    /** A context whose topics use registry-backed Avro serdes (Confluent wire format). */
    public static ServiceContext create(Config config, KafkaSettings kafka, String registryApiUrl, MeterRegistry meters) {
        return new ServiceContext(config, kafka, registryApiUrl, new Topics(registrySerdes(registryApiUrl)), meters);
    }

    public static ValueSerdeFactory registrySerdes(String registryApiUrl) {
        return new ValueSerdeFactory() {
            @Override
            public <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
                return AvroSerdes.valueSerde(registryApiUrl, type);
            }
        };
    }
}
