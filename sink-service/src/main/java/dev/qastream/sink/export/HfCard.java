package dev.qastream.sink.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.apache.avro.Schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The README.md dataset card of a Hugging Face dataset folder: a YAML header the Hub and the datasets
 * library read (configs with data_files, dataset_info with features and splits, license), then what the
 * data is, where it came from, which models and prompt versions made it, and how its scores fall.
 */
final class HfCard {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private HfCard() {
    }

    static void write(Path file, ExportStats stats, String name, String license) throws IOException {
        String card = "---\n" + YAML.writeValueAsString(header(stats, name, license)) + "---\n\n" + body(stats, name);
        Files.writeString(file, card, StandardCharsets.UTF_8);
    }

    static ObjectNode header(ExportStats stats, String name, String license) {
        ObjectNode h = NODES.objectNode();
        h.put("license", license);
        h.putArray("language").add("en");
        h.putArray("task_categories").add("question-answering").add("text-generation");
        h.putArray("tags").add("telecom").add("radio-access-network").add("synthetic").add("qastream");
        h.put("pretty_name", name);
        h.putArray("size_categories").add(sizeCategory(stats.pairs));
        ObjectNode config = h.putArray("configs").addObject();
        config.put("config_name", "default");
        ArrayNode files = config.putArray("data_files");
        for (Split s : Split.values()) {
            files.addObject().put("split", s.hfName).put("path", "data/" + s.hfName + "-*.parquet");
        }
        ObjectNode info = h.putObject("dataset_info");
        info.set("features", features(Rows.ROW));
        ArrayNode splits = info.putArray("splits");
        for (Split s : Split.values()) {
            splits.addObject().put("name", s.hfName).put("num_examples", stats.count(s));
        }
        return h;
    }

    /** The Hub's feature list, from the Parquet row schema. */
    private static ArrayNode features(Schema record) {
        ArrayNode out = NODES.arrayNode();
        for (Schema.Field f : record.getFields()) {
            ObjectNode feature = out.addObject().put("name", f.name());
            Schema type = nonNull(f.schema());
            if (type.getType() == Schema.Type.ARRAY) {
                Schema items = type.getElementType();
                if (items.getType() == Schema.Type.RECORD) {
                    feature.set("list", features(items));
                } else {
                    feature.put("sequence", dtype(items));
                }
            } else {
                feature.put("dtype", dtype(type));
            }
        }
        return out;
    }

    private static Schema nonNull(Schema s) {
        return s.getType() == Schema.Type.UNION
                ? s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow() : s;
    }

    private static String dtype(Schema s) {
        return switch (s.getType()) {
            case STRING -> "string";
            case DOUBLE -> "float64";
            case LONG -> "int64";
            case INT -> "int32";
            case BOOLEAN -> "bool";
            default -> throw new IllegalArgumentException("no Hub dtype for " + s);
        };
    }

    private static String sizeCategory(long n) {
        if (n < 1_000) {
            return "n<1K";
        }
        if (n < 10_000) {
            return "1K<n<10K";
        }
        if (n < 100_000) {
            return "10K<n<100K";
        }
        return n < 1_000_000 ? "100K<n<1M" : "1M<n<10M";
    }

    private static String body(ExportStats s, String name) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(name).append("\n\n");
        b.append("Question/answer pairs about radio access network (RAN) features, generated from technical "
                + "documentation by qastream and kept only when their quality score met the acceptance threshold. "
                + "Each row is a chat conversation (`messages`: system, user, assistant) with its metadata as columns: "
                + "feature name, quality score, technical terms, source document, chunk id, model, tier and prompt version.\n\n");
        if (s.reviewedOnly) {
            b.append("Only the pairs a person reviewed and accepted or edited are in this export.\n\n");
        }
        b.append("```python\nfrom datasets import load_dataset\nds = load_dataset(\"path/to/this/folder\")\n```\n\n");
        b.append("## Splits\n\nAssigned by a hash of each pair's identity, so a pair keeps its split across exports.\n\n");
        b.append("| split | pairs |\n|---|---|\n");
        for (Split split : Split.values()) {
            b.append("| ").append(split.hfName).append(" | ").append(s.count(split)).append(" |\n");
        }
        b.append("\n## Source documents\n\n").append(s.documentCount).append(" documents");
        if (s.documentCount > s.documents.size()) {
            b.append(" (the first ").append(s.documents.size()).append(" by name below)");
        }
        b.append(":\n\n");
        s.documents.forEach(d -> b.append("- `").append(code(d)).append("`\n"));
        b.append("\n## Models and prompt versions\n\n");
        table(b, "model", s.perModel);
        table(b, "tier", s.perTier);
        table(b, "prompt version", s.perPromptVersion);
        table(b, "question type", s.perQuestionType);
        b.append("## Review by people\n\n");
        b.append("Pairs a person looked at in the review workbench; their decision overrides the scores of that very "
                + "pair (column `reviewed`). Rejected ones are not in the dataset.\n\n");
        b.append("| by a person | pairs |\n|---|---|\n");
        b.append("| accepted as generated | ").append(s.reviewedAccepted).append(" |\n");
        b.append("| edited | ").append(s.reviewedEdited).append(" |\n");
        b.append("| rejected (not in this dataset) | ").append(s.rejectedByPeople).append(" |\n\n");
        b.append("## Quality scores\n\n");
        b.append(String.format("Mean %.3f over %d pairs.%n%n", s.pairs == 0 ? 0.0 : s.scoreSum / s.pairs, s.pairs));
        b.append("| score | pairs |\n|---|---|\n");
        for (int i = 0; i < s.scoreBuckets.length; i++) {
            if (s.scoreBuckets[i] > 0) {
                b.append(String.format("| %.1f-%.1f | %d |%n", i / 10.0, (i + 1) / 10.0, s.scoreBuckets[i]));
            }
        }
        return b.toString();
    }

    private static void table(StringBuilder b, String what, Map<String, Long> counts) {
        b.append("| ").append(what).append(" | pairs |\n|---|---|\n");
        counts.forEach((k, v) -> b.append("| `").append(code(k)).append("` | ").append(v).append(" |\n"));
        b.append('\n');
    }

    /**
     * A name from the data (a document id is a file name from the inbox) as one inline code span: a newline, a
     * backtick or a table bar in it must not end the span, the line or the table cell and add lines of its own.
     */
    static String code(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '`' -> out.append('\'');
                case '|' -> out.append("\\|");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
