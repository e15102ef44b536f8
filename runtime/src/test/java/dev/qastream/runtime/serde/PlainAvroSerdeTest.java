package dev.qastream.runtime.serde;

import dev.qastream.schemas.IngestError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlainAvroSerdeTest {

    private final PlainAvroSerde<IngestError> serde = PlainAvroSerde.of(IngestError.class);

    @Test
    void roundTripsARecord() {
        // Given a record with a null optional field
        IngestError error = IngestError.newBuilder()
                .setPath("a.md").setReason("empty").setDetail(null).setOccurredAtMs(42L).build();

        // When it is written and read back
        byte[] bytes = serde.serializer().serialize("t", error);
        IngestError read = serde.deserializer().deserialize("t", bytes);

        // Then it is equal, and the bytes are bare Avro (no registry framing)
        assertThat(read).isEqualTo(error);
        assertThat(bytes[0]).isNotEqualTo((byte) 0);
    }

    @Test
    void keepsTombstonesNull() {
        // Given / When a null value goes through both directions
        byte[] bytes = serde.serializer().serialize("t", null);

        // Then null stays null
        assertThat(bytes).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }
}
