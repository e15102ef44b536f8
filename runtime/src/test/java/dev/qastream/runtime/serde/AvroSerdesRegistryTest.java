package dev.qastream.runtime.serde;

import dev.qastream.runtime.platform.EmbeddedRegistry;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.IngestError;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry-backed serializer against a real registry whose connections drop (through a proxy). */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AvroSerdesRegistryTest {
    @TempDir
    static Path dir;
    static EmbeddedRegistry registry;

    @BeforeAll
    static void startRegistry() {
        registry = EmbeddedRegistry.start(dir.resolve("registry"));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private static String apiUrl(String base) {
        return base + "/apis/registry/v3";
    }

    @Test
    void aSchemaRegistrationOnAKeepAliveConnectionTheRegistryDroppedIsRetried() throws Exception {
        IngestError error = IngestError.newBuilder().setPath("a.pdf").setReason("no text").setOccurredAtMs(1L).build();
        DocumentInfo info = DocumentInfo.newBuilder().build();
        try (DroppingProxy proxy = new DroppingProxy(URI.create(registry.url()).getPort());
             Serializer<SpecificRecord> serializer = AvroSerdes.valueSerializer(apiUrl(proxy.url()));
             Deserializer<SpecificRecord> deserializer = AvroSerdes.valueDeserializer(registry.registryApiUrl())) {
            // Given a serializer that registered one schema, so its HTTP client holds a pooled keep-alive connection
            assertThat(serializer.serialize("keepalive.errors", error)).isNotEmpty();

            // When the registry closes that connection as the next registration (a POST) is sent on it
            proxy.dropPosts(1);
            byte[] written = serializer.serialize("keepalive.documents", info);

            // Then the registration went through on a second try, and the record reads back
            assertThat(proxy.dropped()).isEqualTo(1);
            // (Usually on the pooled connection, as in the CI failure; the client may also have opened a fresh one,
            // and the JDK resends neither kind of POST: the retry is ours either way.)
            assertThat(deserializer.deserialize("keepalive.documents", written)).isEqualTo(info);
        }
    }

    @Test
    void aRegistryThatKeepsDroppingTheRegistrationStillFailsTheWriteAfterAFewTries() throws Exception {
        IngestError error = IngestError.newBuilder().setPath("b.pdf").setReason("no text").setOccurredAtMs(2L).build();
        try (DroppingProxy proxy = new DroppingProxy(URI.create(registry.url()).getPort());
             Serializer<SpecificRecord> serializer = AvroSerdes.valueSerializer(apiUrl(proxy.url()))) {
            // Given a registry that drops every registration
            proxy.dropPosts(Integer.MAX_VALUE);

            // When a record is serialized, then it fails with the transport error, after a bounded number of tries
            assertThatThrownBy(() -> serializer.serialize("dropping.errors", error))
                    .hasRootCauseInstanceOf(IOException.class);
            assertThat(proxy.dropped()).isEqualTo(1 + RegistryRetryingSerializer.RETRIES);
        }
    }

    @Test
    void aSchemaLookupThatFailsInTransportIsRetriedSoTheRecordIsNotSkippedAsUnreadable() throws Exception {
        IngestError error = IngestError.newBuilder().setPath("c.pdf").setReason("no text").setOccurredAtMs(3L).build();
        byte[] written;
        try (Serializer<SpecificRecord> serializer = AvroSerdes.valueSerializer(registry.registryApiUrl())) {
            written = serializer.serialize("lookup.errors", error);
        }
        try (DroppingProxy proxy = new DroppingProxy(URI.create(registry.url()).getPort());
             Deserializer<SpecificRecord> deserializer = AvroSerdes.valueDeserializer(apiUrl(proxy.url()))) {
            // Given a reader that has not seen the schema, and a registry whose next two lookups drop their connection
            proxy.dropGets(2);

            // When it reads the record, then it gets it, after the dropped lookups
            assertThat(deserializer.deserialize("lookup.errors", written)).isEqualTo(error);
            assertThat(proxy.dropped()).isEqualTo(2);
        }
    }

    @Test
    void aRegistryThatTakesARequestAndNeverAnswersFailsTheCallAfterItsTimeoutNotNever() throws Exception {
        IngestError error = IngestError.newBuilder().setPath("d.pdf").setReason("no text").setOccurredAtMs(4L).build();
        java.util.List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // Given a registry address that accepts connections and requests and never writes a byte back
            Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            String url = apiUrl("http://127.0.0.1:" + silent.getLocalPort());
            io.apicurio.registry.serde.avro.AvroKafkaSerializer<SpecificRecord> avro =
                    new io.apicurio.registry.serde.avro.AvroKafkaSerializer<>(RegistryClients.facade(url, java.time.Duration.ofSeconds(1)));
            avro.configure(AvroSerdes.config(url), false);
            Serializer<SpecificRecord> serializer = new RegistryRetryingSerializer<>(avro);

            // When a record is serialized, then it fails with a timeout after a few tries of 1 s, instead of waiting
            long start = System.nanoTime();
            assertThatThrownBy(() -> serializer.serialize("silent.errors", error))
                    .hasRootCauseInstanceOf(java.net.http.HttpTimeoutException.class);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(java.time.Duration.ofSeconds(1 + RegistryRetryingSerializer.RETRIES), java.time.Duration.ofSeconds(20));
            assertThat(held).as("the registry was asked").isNotEmpty();
        } finally {
            for (java.net.Socket s : held) {
                s.close();
            }
        }
    }
}
