package dev.qastream.runtime.tools;

import dev.qastream.schemas.IngestError;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What needs no registry; decoding through a real registry is covered by the launcher's console consumer test. */
class AvroJsonFormatterTest {

    private static ConsumerRecord<byte[], byte[]> record(String key, byte[] value) {
        return new ConsumerRecord<>("scoring.scored", 1, 42, key.getBytes(StandardCharsets.UTF_8), value);
    }

    @Test
    void tombstonePrintsKeyAndNullValue() {
        AvroJsonFormatter f = new AvroJsonFormatter();
        f.configure(Map.of("registry.url", "http://127.0.0.1:1"));
        assertThat(f.format(record("doc.md#0#1", null))).isEqualTo("{\"key\":\"doc.md#0#1\",\"value\":null}");
    }

    @Test
    void printOptionsAddPartitionOffsetAndDropTheKey() {
        AvroJsonFormatter f = new AvroJsonFormatter();
        f.configure(Map.of("registry.url", "http://127.0.0.1:1", "print.key", "false", "print.partition", "true",
                "print.offset", "true"));
        assertThat(f.format(record("k", null))).isEqualTo("{\"partition\":1,\"offset\":42,\"value\":null}");
    }

    @Test
    void unframedValuePrintsAsText() {
        AvroJsonFormatter f = new AvroJsonFormatter();
        f.configure(Map.of("registry.url", "http://127.0.0.1:1"));
        assertThat(f.format(record("k", "plain".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("{\"key\":\"k\",\"value\":\"plain\"}");
    }

    @Test
    void missingRegistryUrlIsAClearError() {
        assertThatThrownBy(() -> new AvroJsonFormatter().configure(Map.of()))
                .hasMessageContaining("--property registry.url=");
    }

    @Test
    void registryUrlOfAnyFormPointsAtTheCcompatApi() {
        assertThat(RegistrySchemas.ccompatUrl("http://h:8080")).isEqualTo("http://h:8080/apis/ccompat/v7");
        assertThat(RegistrySchemas.ccompatUrl("http://h:8080/apis/registry/v3/")).isEqualTo("http://h:8080/apis/ccompat/v7");
        assertThat(RegistrySchemas.ccompatUrl("http://h:8080/apis/ccompat/v7")).isEqualTo("http://h:8080/apis/ccompat/v7");
    }

    @Test
    void recordsRenderAsPlainJsonInFullAndCompactForm() {
        IngestError e = IngestError.newBuilder().setPath("junk.md").setReason("binary content").setDetail(null)
                .setOccurredAtMs(5).build();
        assertThat(AvroJson.full(e).toString())
                .isEqualTo("{\"path\":\"junk.md\",\"reason\":\"binary content\",\"detail\":null,\"occurredAtMs\":5}");
        var compact = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        AvroJson.compact(e, compact);
        assertThat(compact.get("reason").asText()).isEqualTo("binary content");
    }
}
