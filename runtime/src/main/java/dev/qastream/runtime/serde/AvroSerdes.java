package dev.qastream.runtime.serde;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.Default4ByteIdHandler;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.IdOption;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.kafka.config.KafkaSerdeConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.util.HashMap;
import java.util.Map;

/**
 * Registry-backed Avro serdes for record values (keys are plain strings).
 *
 * <p>On the wire: magic byte 0, the schema's 4-byte big-endian id, then Avro binary; no Kafka
 * headers. That is the Confluent format, and the id is the registry's contentId, which is what
 * Apicurio's {@code /apis/ccompat/v7/schemas/ids/{id}} resolves, so Confluent-compatible tools can
 * read the topics. Subjects follow the topic: {@code <topic>-value}.
 */
public final class AvroSerdes {

    private AvroSerdes() {
    }

    /** Serde settings for a registry's v3 API URL (e.g. http://127.0.0.1:8080/apis/registry/v3). */
    public static Map<String, Object> config(String registryApiUrl) {
        Map<String, Object> config = new HashMap<>();
        config.put(SchemaResolverConfig.REGISTRY_URL, registryApiUrl);
        // Producers register the schema of the class they write (or find the identical version).
        config.put(SchemaResolverConfig.AUTO_REGISTER_ARTIFACT, true);
        // Only consulted when auto-register is off: then write with the subject's latest version.
        config.put(SchemaResolverConfig.FIND_LATEST_ARTIFACT, true);
        // Read into the generated dev.qastream.schemas classes, not GenericRecord.
        config.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        config.put(AvroSerdeConfig.AVRO_DATUM_PROVIDER, CachingAvroDatumProvider.class.getName());
        // Confluent framing: the id goes in the payload (4 bytes after the magic byte), not in headers.
        config.put(KafkaSerdeConfig.ENABLE_HEADERS, false);
        config.put(SerdeConfig.ID_HANDLER, Default4ByteIdHandler.class.getName());
        // contentId, because that is the id space of the ccompat API in Apicurio 3.
        config.put(SerdeConfig.USE_ID, IdOption.contentId.name());
        // The JDK HTTP client, not the Vert.x one: resolving a schema with nested references (e.g. a dead
        // letter's request's chunk) through the shared Vert.x instance was seen to wait forever. (The serdes below
        // get their client from RegistryClients, the same JDK adapter with a time limit per request; this setting
        // is for any serde built from this map alone.)
        config.put(SchemaResolverConfig.HTTP_ADAPTER, "JDK");
        return config;
    }

    public static <T extends SpecificRecord> Serde<T> valueSerde(String registryApiUrl) {
        return Serdes.serdeFrom(valueSerializer(registryApiUrl), valueDeserializer(registryApiUrl));
    }

    /** Same as {@link #valueSerde(String)}; the class only pins the type where inference cannot. */
    public static <T extends SpecificRecord> Serde<T> valueSerde(String registryApiUrl, Class<T> type) {
        return valueSerde(registryApiUrl);
    }

    /**
     * Already configured: Kafka Streams does not configure serdes handed to it in Consumed/Produced. A schema
     * registration that fails in transport is tried again (see {@link RegistryRetryingSerializer}).
     */
    public static <T extends SpecificRecord> Serializer<T> valueSerializer(String registryApiUrl) {
        AvroKafkaSerializer<T> serializer = new AvroKafkaSerializer<>(RegistryClients.facade(registryApiUrl));
        serializer.configure(config(registryApiUrl), false);
        return new RegistryRetryingSerializer<>(serializer);
    }

    public static <T extends SpecificRecord> Deserializer<T> valueDeserializer(String registryApiUrl) {
        AvroKafkaDeserializer<T> deserializer = new AvroKafkaDeserializer<>(RegistryClients.facade(registryApiUrl));
        deserializer.configure(config(registryApiUrl), false);
        return new RegistryRetryingDeserializer<>(deserializer);
    }
}
