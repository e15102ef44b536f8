package dev.qastream.sink.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qastream.schemas.DatasetRecord;
import dev.qastream.sink.DatasetJson;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.util.List;

/** One dataset record in each export format: a JSON line, or a typed row for Parquet. */
final class Rows {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final Schema MESSAGE = SchemaBuilder.record("message").namespace("dev.qastream.export").fields()
            .requiredString("role").requiredString("content").endRecord();

    /** The Parquet row: chat messages plus every piece of metadata as its own typed column. */
    static final Schema ROW = SchemaBuilder.record("pair").namespace("dev.qastream.export").fields()
            .requiredString("pair_key")
            .name("messages").type().array().items(MESSAGE).noDefault()
            .requiredString("system").requiredString("question").requiredString("answer")
            .optionalString("feature_name")
            .requiredDouble("quality_score")
            .name("technical_terms").type().array().items().stringType().noDefault()
            .requiredString("source_document").requiredString("chunk_id")
            .requiredString("model").requiredString("tier").requiredString("prompt_version")
            .optionalString("question_type")
            .requiredLong("revision").requiredLong("generated_at_ms")
            .name("flags").type().array().items().stringType().noDefault()
            .requiredInt("tier1_exact_params").requiredInt("tier2_config_terms")
            .requiredInt("tier3_network_elements").requiredInt("tier4_rare_terms")
            .optionalString("reviewed")
            .endRecord();

    private Rows() {
    }

    static String chat(DatasetRecord r) {
        return DatasetJson.toLine(r);
    }

    /** MLX-LM's chat format: the messages only. */
    static String mlx(DatasetRecord r) {
        ObjectNode root = JSON.createObjectNode();
        messages(root.putArray("messages"), r);
        return write(root);
    }

    /** LLaMA-Factory's Alpaca columns; the system prompt in its own column. */
    static String alpaca(DatasetRecord r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("instruction", r.getQuestion());
        root.put("input", "");
        root.put("output", r.getAnswer());
        root.put("system", r.getSystemPrompt());
        return write(root);
    }

    /** LLaMA-Factory's ShareGPT layout: human / gpt turns, the system prompt in its own column. */
    static String sharegpt(DatasetRecord r) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode turns = root.putArray("conversations");
        turns.addObject().put("from", "human").put("value", r.getQuestion());
        turns.addObject().put("from", "gpt").put("value", r.getAnswer());
        root.put("system", r.getSystemPrompt());
        return write(root);
    }

    static GenericRecord parquet(String key, DatasetRecord r) {
        GenericRecord row = new GenericData.Record(ROW);
        row.put("pair_key", key);
        row.put("messages", List.of(message("system", r.getSystemPrompt()), message("user", r.getQuestion()),
                message("assistant", r.getAnswer())));
        row.put("system", r.getSystemPrompt());
        row.put("question", r.getQuestion());
        row.put("answer", r.getAnswer());
        row.put("feature_name", r.getFeatureName());
        row.put("quality_score", r.getQualityScore());
        row.put("technical_terms", r.getTechnicalTerms());
        row.put("source_document", r.getSourceDocument());
        row.put("chunk_id", r.getChunkId());
        row.put("model", r.getModel());
        row.put("tier", r.getTier());
        row.put("prompt_version", r.getPromptVersion());
        row.put("question_type", r.getQuestionType());
        row.put("revision", r.getRevision());
        row.put("generated_at_ms", r.getGeneratedAtMs());
        row.put("flags", r.getFlags());
        row.put("tier1_exact_params", r.getTier1ExactParams());
        row.put("tier2_config_terms", r.getTier2ConfigTerms());
        row.put("tier3_network_elements", r.getTier3NetworkElements());
        row.put("tier4_rare_terms", r.getTier4RareTerms());
        row.put("reviewed", r.getReviewed());
        return row;
    }

    private static GenericRecord message(String role, String content) {
        GenericRecord m = new GenericData.Record(MESSAGE);
        m.put("role", role);
        m.put("content", content);
        return m;
    }

    private static void messages(ArrayNode messages, DatasetRecord r) {
        messages.addObject().put("role", "system").put("content", r.getSystemPrompt());
        messages.addObject().put("role", "user").put("content", r.getQuestion());
        messages.addObject().put("role", "assistant").put("content", r.getAnswer());
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
