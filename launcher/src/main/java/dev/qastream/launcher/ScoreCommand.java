package dev.qastream.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qastream.ingest.chunk.Chunker;
import dev.qastream.ingest.parse.DocumentParsers;
import dev.qastream.ingest.parse.UnreadableDocumentException;
import dev.qastream.runtime.config.Config;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.scoring.Catalogue;
import dev.qastream.scoring.DocumentScorer;
import dev.qastream.scoring.PairScorer;
import dev.qastream.scoring.ScoringService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Scores a file of question/answer pairs against one document, without Kafka: the document goes through the
 * ingest parsers and chunker, each pair is matched to its best chunk and scored by the pipeline's scorers,
 * and the pairs are deduplicated against each other (the earlier line is kept).
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score your own pairs against a document, without Kafka.",
                "Input: one JSON object per line with \"question\" and \"answer\" (other fields are passed through).",
                "Output: one JSON object per input line, in order: the input fields plus structural, coherence, "
                        + "relevance, accuracy, judge (when scoring.judge.enabled), overall, accepted, reasons, duplicateOf, "
                        + "flags and chunkId."})
final class ScoreCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--doc", required = true, description = "the document the pairs are about (any format ingest reads)")
    Path doc;

    @Option(names = "--pairs", required = true, description = "JSON lines file of pairs")
    Path pairs;

    @Option(names = "--out", description = "write the scored lines here instead of standard output")
    Path out;

    @Option(names = "--config", description = "YAML configuration file (scoring.* and ingest.* settings)")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        Config config = Config.load(configFile != null ? configFile
                : System.getenv("QASTREAM_CONFIG") != null ? Path.of(System.getenv("QASTREAM_CONFIG")) : null);
        List<ObjectNode> lines = new ArrayList<>();
        List<DocumentScorer.Input> inputs = readPairs(pairs, lines);
        List<Chunk> chunks = chunks(doc, config);
        // The service's scorers, the judge too when scoring.judge.enabled: the figures match the pipeline's.
        PairScorer scorer = ScoringService.scorer(config, System.err::println);
        List<ScoredPair> scored = new DocumentScorer(scorer, chunks, Catalogue.of(chunks)).score(inputs, true);
        int accepted = 0;
        try (Writer w = out == null ? new OutputStreamWriter(new NonClosing(System.out), StandardCharsets.UTF_8)
                : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            BufferedWriter writer = new BufferedWriter(w);
            for (int i = 0; i < scored.size(); i++) {
                ScoredPair s = scored.get(i);
                accepted += s.getAccepted() ? 1 : 0;
                writer.write(JSON.writeValueAsString(merge(lines.get(i), s)));
                writer.write('\n');
            }
            writer.flush();
        }
        System.err.printf("scored %d pairs against %s (%d chunks): %d accepted, %d rejected%n", scored.size(), doc,
                chunks.size(), accepted, scored.size() - accepted);
        return 0;
    }

    static List<DocumentScorer.Input> readPairs(Path file, List<ObjectNode> lines) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        List<DocumentScorer.Input> inputs = new ArrayList<>();
        List<String> raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int n = 0; n < raw.size(); n++) {
            String line = raw.get(n);
            if (line.isBlank()) {
                continue;
            }
            String where = file + ":" + (n + 1) + ": ";
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(where + "not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (!(node instanceof ObjectNode obj)) {
                throw new IllegalArgumentException(where + "expected a JSON object with \"question\" and \"answer\"");
            }
            for (String field : List.of("question", "answer")) {
                if (!obj.path(field).isTextual() || obj.path(field).asText().isBlank()) {
                    throw new IllegalArgumentException(where + "\"" + field + "\" is missing or not a non-empty string");
                }
            }
            JsonNode type = obj.get("questionType");
            lines.add(obj);
            inputs.add(new DocumentScorer.Input(obj.get("question").asText(), obj.get("answer").asText(),
                    type != null && type.isTextual() ? type.asText() : null));
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException(file + ": no pairs (expected one JSON object per line)");
        }
        return inputs;
    }

    static List<Chunk> chunks(Path doc, Config config) throws IOException {
        if (!Files.isRegularFile(doc)) {
            throw new IllegalArgumentException(doc + ": no such file");
        }
        try {
            String id = doc.getFileName().toString();
            return new Chunker(config.integer("ingest.max-tokens"), config.integer("ingest.overlap-tokens"))
                    .chunk(DocumentParsers.parse(id, Files.readAllBytes(doc)));
        } catch (UnreadableDocumentException e) {
            throw new IllegalArgumentException(doc + ": " + e.getMessage());
        }
    }

    private static ObjectNode merge(ObjectNode input, ScoredPair s) {
        ObjectNode o = input.deepCopy();
        o.put("structural", s.getStructural());
        putNullable(o, "coherence", s.getCoherence());
        putNullable(o, "relevance", s.getRelevance());
        putNullable(o, "accuracy", s.getAccuracy());
        if (s.getJudge() != null) {
            o.put("judge", s.getJudge());
        }
        o.put("overall", s.getOverall());
        o.put("accepted", s.getAccepted());
        o.putPOJO("reasons", s.getReasons());
        if (s.getDuplicateOf() != null) {
            o.put("duplicateOf", s.getDuplicateOf());
        }
        o.putPOJO("flags", s.getFlags());
        o.put("chunkId", s.getPair().getChunkId());
        return o;
    }

    private static void putNullable(ObjectNode o, String name, Double v) {
        if (v == null) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }

    /** Standard output stays open after the writer is closed. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(PrintStream out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
