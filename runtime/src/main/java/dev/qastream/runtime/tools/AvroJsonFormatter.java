package dev.qastream.runtime.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.MessageFormatter;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For Kafka's console consumer ({@code --formatter dev.qastream.runtime.tools.AvroJsonFormatter}): each
 * record of any qastream topic as one JSON line, the Avro value decoded with the schema its Confluent
 * framing names (magic byte 0, 4-byte id), fetched from the registry.
 *
 * <p>Properties ({@code --property name=value}):
 * <ul>
 *   <li>{@code registry.url} (required): the registry, e.g. http://127.0.0.1:8080 (any of its API URLs works)</li>
 *   <li>{@code compact} (false): a few telling fields flattened next to the key, instead of the whole value</li>
 *   <li>{@code print.key} (true), {@code print.timestamp} (false), {@code print.partition} (false),
 *       {@code print.offset} (false)</li>
 * </ul>
 * A tombstone prints as {@code {"key":"...","value":null}}; a value without the framing as its text.
 */
public final class AvroJsonFormatter implements MessageFormatter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistrySchemas schemas;
    private boolean compact;
    private boolean printKey = true;
    private boolean printTimestamp;
    private boolean printPartition;
    private boolean printOffset;
    private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
    private BinaryDecoder decoder;

    @Override
    public void configure(Map<String, ?> configs) {
        Object url = configs.get("registry.url");
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException("AvroJsonFormatter needs --property registry.url=http://HOST:PORT "
                    + "(the schema registry; ./pipeline status prints the embedded one's)");
        }
        schemas = new RegistrySchemas(url.toString());
        compact = flag(configs, "compact", false);
        printKey = flag(configs, "print.key", true);
        printTimestamp = flag(configs, "print.timestamp", false);
        printPartition = flag(configs, "print.partition", false);
        printOffset = flag(configs, "print.offset", false);
    }

    private static boolean flag(Map<String, ?> configs, String name, boolean otherwise) {
        Object v = configs.get(name);
        return v == null ? otherwise : Boolean.parseBoolean(v.toString().trim());
    }

    @Override
    public void writeTo(ConsumerRecord<byte[], byte[]> record, PrintStream output) {
        output.println(format(record));
    }

    /** The JSON line for one record, without the newline. */
    public String format(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode line = JSON.createObjectNode();
        if (printKey) {
            line.put("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
        }
        if (printTimestamp) {
            line.put("timestamp", record.timestamp());
        }
        if (printPartition) {
            line.put("partition", record.partition());
        }
        if (printOffset) {
            line.put("offset", record.offset());
        }
        byte[] value = record.value();
        if (value == null) {
            line.putNull("value");
        } else if (value.length < 5 || value[0] != 0) {
            line.put("value", new String(value, StandardCharsets.UTF_8));
        } else {
            GenericRecord decoded = decode(value);
            if (compact) {
                AvroJson.compact(decoded, line);
            } else {
                line.set("value", AvroJson.full(decoded));
            }
        }
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private GenericRecord decode(byte[] value) {
        int id = ByteBuffer.wrap(value, 1, 4).getInt();
        GenericDatumReader<GenericRecord> reader = readers.computeIfAbsent(id, i -> {
            Schema schema = schemas.byId(i);
            return new GenericDatumReader<>(schema);
        });
        decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, decoder);
        try {
            return reader.read(null, decoder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a record with schema id " + id + ": " + e.getMessage(), e);
        }
    }
}
