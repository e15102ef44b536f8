package dev.qastream.runtime.serde;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AvroSerdesTest {

    @Test
    void configAsksForConfluentFramingWithContentIds() {
        // Given a registry URL
        String url = "http://127.0.0.1:1/apis/registry/v3";

        // When the serde config is built
        var config = AvroSerdes.config(url);

        // Then ids travel in the payload as 4-byte contentIds, schemas auto-register, and reads are specific
        assertThat(config)
                .containsEntry("apicurio.registry.url", url)
                .containsEntry("apicurio.registry.headers.enabled", false)
                .containsEntry("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler")
                .containsEntry("apicurio.registry.use-id", "contentId")
                .containsEntry("apicurio.registry.auto-register", true)
                .containsEntry("apicurio.registry.find-latest", true)
                .containsEntry("apicurio.registry.use-specific-avro-reader", true);
    }
}
