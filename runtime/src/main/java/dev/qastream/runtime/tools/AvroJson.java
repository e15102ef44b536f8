package dev.qastream.runtime.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Avro values as plain JSON: records as objects, unions as their value (not Avro's {"type": value}
 * wrapping), enums and strings as strings, bytes as base64. Compact form: a few fields that tell what a
 * record is, chosen per record type, flattened into one level.
 */
public final class AvroJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int COMPACT_TEXT = 200;

    /** Dotted field paths shown in compact form, per record name; other records: their short top-level fields. */
    private static final Map<String, List<String>> COMPACT = Map.of(
            "ScoredPair", List.of("accepted", "overall", "pair.tier", "pair.documentId", "pair.removed", "pair.revision",
                    "pair.question", "pair.answer", "reasons", "flags"),
            "QaPair", List.of("tier", "model", "removed", "revision", "question", "answer"),
            "Chunk", List.of("documentId", "ordinal", "sectionPath", "tokenEstimate", "complexity"),
            "GenerationRequest", List.of("tier", "revision", "chunk.documentId", "chunk.sectionPath",
                    "chunk.complexity", "escalatedFrom", "lastFailure"),
            "DeadLetter", List.of("request.tier", "request.chunk.chunkId", "reason", "attempts", "tiersTried"),
            "DatasetRecord", List.of("qualityScore", "tier", "model", "sourceDocument", "question", "answer"),
            "DocumentRecord", List.of("status", "format", "sizeBytes", "checksum", "document.title"),
            "GenerationCacheEntry", List.of("model", "backend", "promptVersion", "tokensIn", "tokensOut", "latencyMs"));

    private AvroJson() {
    }

    public static JsonNode full(Object avro) {
        if (avro == null) {
            return NODES.nullNode();
        }
        if (avro instanceof GenericRecord r) {
            ObjectNode o = NODES.objectNode();
            r.getSchema().getFields().forEach(f -> o.set(f.name(), full(r.get(f.pos()))));
            return o;
        }
        if (avro instanceof Collection<?> c) {
            ArrayNode a = NODES.arrayNode();
            c.forEach(v -> a.add(full(v)));
            return a;
        }
        if (avro instanceof Map<?, ?> m) {
            ObjectNode o = NODES.objectNode();
            m.forEach((k, v) -> o.set(k.toString(), full(v)));
            return o;
        }
        if (avro instanceof ByteBuffer b) {
            ByteBuffer copy = b.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (avro instanceof GenericData.Fixed f) {
            return NODES.textNode(Base64.getEncoder().encodeToString(f.bytes()));
        }
        return switch (avro) {
            case Boolean b -> NODES.booleanNode(b);
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Float f -> NODES.numberNode(f);
            case Double d -> NODES.numberNode(d);
            case CharSequence s -> NODES.textNode(s.toString());
            default -> NODES.textNode(avro.toString()); // enum symbols
        };
    }

    /** The compact fields of {@code record}, added to {@code into} (named by their last path segment). */
    public static void compact(GenericRecord record, ObjectNode into) {
        List<String> paths = COMPACT.get(record.getSchema().getName());
        if (paths == null) {
            record.getSchema().getFields().forEach(f -> {
                Object v = record.get(f.pos());
                if (!(v instanceof GenericRecord) && !(v instanceof Collection<?>) && !(v instanceof Map<?, ?>)) {
                    into.set(f.name(), shorten(full(v)));
                }
            });
            return;
        }
        for (String path : paths) {
            Object v = at(record, path);
            // false flags and empty lists say nothing in a one-line view
            if (Boolean.FALSE.equals(v) && path.endsWith("removed")
                    || v instanceof Collection<?> c && c.isEmpty()) {
                continue;
            }
            into.set(path.substring(path.lastIndexOf('.') + 1), full(v));
        }
    }

    private static Object at(GenericRecord record, String path) {
        Object v = record;
        for (String name : path.split("\\.")) {
            if (!(v instanceof GenericRecord r) || r.getSchema().getField(name) == null) {
                return null;
            }
            v = r.get(name);
        }
        return v instanceof Utf8 u ? u.toString() : v;
    }

    private static JsonNode shorten(JsonNode n) {
        if (n.isTextual() && n.asText().length() > COMPACT_TEXT) {
            return NODES.textNode(n.asText().substring(0, COMPACT_TEXT) + "...");
        }
        return n;
    }
}
