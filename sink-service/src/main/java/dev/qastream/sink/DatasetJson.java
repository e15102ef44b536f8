package dev.qastream.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qastream.schemas.DatasetRecord;

/** The chat "messages" JSON line of a dataset record (OpenAI / MLX-LM format) with its metadata. */
public final class DatasetJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DatasetJson() {
    }

    public static ObjectNode toJson(DatasetRecord r) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode messages = root.putArray("messages");
        messages.addObject().put("role", "system").put("content", r.getSystemPrompt());
        messages.addObject().put("role", "user").put("content", r.getQuestion());
        messages.addObject().put("role", "assistant").put("content", r.getAnswer());
        ObjectNode meta = root.putObject("metadata");
        meta.put("feature_name", r.getFeatureName());
        meta.put("quality_score", r.getQualityScore());
        ArrayNode terms = meta.putArray("technical_terms");
        r.getTechnicalTerms().forEach(terms::add);
        meta.put("source_document", r.getSourceDocument());
        meta.put("chunk_id", r.getChunkId());
        meta.put("model", r.getModel());
        meta.put("tier", r.getTier());
        meta.put("prompt_version", r.getPromptVersion());
        meta.put("question_type", r.getQuestionType());
        if (r.getReviewed() != null) { // only where a person decided: accepted or edited
            meta.put("reviewed", r.getReviewed());
        }
        ObjectNode tiers = meta.putObject("tier_classification");
        tiers.put("tier1_exact_params", r.getTier1ExactParams());
        tiers.put("tier2_config_terms", r.getTier2ConfigTerms());
        tiers.put("tier3_network_elements", r.getTier3NetworkElements());
        tiers.put("tier4_rare_terms", r.getTier4RareTerms());
        return root;
    }

    public static String toLine(DatasetRecord r) {
        try {
            return JSON.writeValueAsString(toJson(r));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
