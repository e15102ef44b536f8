package dev.qastream.sink.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.review.PairFingerprint;
import dev.qastream.schemas.DatasetRecord;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ReviewDecision;
import dev.qastream.schemas.ReviewVerdict;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.schemas.TermTiers;
import dev.qastream.sink.SinkTopology;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every export format, read back the way its tool reads it. The dataset comes out of the real sink
 * topology (TopologyTestDriver) into the on-disk spill the export command uses.
 */
class DatasetExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANSWER = "The default value of NRCellDU.pagingLoadLimit is 16.";
    private final Topics topics = Topics.withPlainAvro();
    private final Serde<DatasetRecord> values = topics.dataset.valueSerde();
    private TopologyTestDriver driver;
    private TestInputTopic<String, ScoredPair> scored;
    private TestInputTopic<String, ReviewDecision> decisions;
    private TestOutputTopic<String, DatasetRecord> dataset;
    private KeyedSpill spill;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        driver = new TopologyTestDriver(SinkTopology.build(topics, "You are a RAN expert.", java.time.Duration.ofDays(7)));
        scored = driver.createInputTopic(Topics.SCORING_SCORED, topics.scored.keySerde().serializer(),
                topics.scored.valueSerde().serializer());
        decisions = driver.createInputTopic(Topics.REVIEW_DECISIONS, topics.reviewDecisions.keySerde().serializer(),
                topics.reviewDecisions.valueSerde().serializer());
        dataset = driver.createOutputTopic(Topics.DATASET_PAIRS, topics.dataset.keySerde().deserializer(),
                values.deserializer());
        spill = KeyedSpill.create(dir.resolve("tmp"));
    }

    @AfterEach
    void tearDown() {
        spill.close();
        driver.close();
    }

    @Test
    void chatExportIsTheMessagesFormatWithMetadataAndADeletedDocumentLeavesIt() throws Exception {
        // Given two documents in the dataset, then one of them deleted (removals of all its pairs)
        accept("a.md", 3, 4);
        accept("b.md", 2, 4);
        for (int c = 0; c < 2; c++) {
            for (int s = 0; s < 4; s++) {
                scored.pipeInput(key("b.md", c, s), pair(key("b.md", c, s), 9, false, true));
            }
        }
        // When exported as chat
        var result = export(ExportFormat.CHAT, false);

        // Then every line parses, holds the messages and metadata, and none comes from the deleted document
        List<JsonNode> lines = jsonl(dir.resolve("out/dataset.jsonl"));
        assertThat(lines).hasSize(12);
        assertThat(result.files()).containsEntry("dataset.jsonl", 12L);
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.at("/messages/0/role").asText()).isEqualTo("system");
            assertThat(l.at("/messages/2/role").asText()).isEqualTo("assistant");
            assertThat(l.at("/metadata/source_document").asText()).isEqualTo("a.md");
        });
    }

    @Test
    void mlxSplitsByPairKeyStablyAcrossExportsAndAsTheDatasetGrows() throws Exception {
        // Given a dataset of 200 pairs
        accept("a.md", 20, 10);
        export(ExportFormat.MLX, false);
        Map<String, String> first = mlxSplits();
        export(ExportFormat.MLX, false);
        Map<String, String> second = mlxSplits();

        // When new pairs arrive and it is exported again
        accept("z.md", 20, 10);
        export(ExportFormat.MLX, false);
        Map<String, String> grown = mlxSplits();

        // Then two exports are identical, and every old pair kept its split
        assertThat(second).isEqualTo(first);
        assertThat(grown).hasSize(400).containsAllEntriesOf(first);
        // and the split is roughly 80/10/10
        Map<String, Long> sizes = grown.values().stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        assertThat(sizes.get("train")).isBetween(280L, 360L);
        assertThat(sizes.get("valid")).isBetween(15L, 70L);
        assertThat(sizes.get("test")).isBetween(15L, 70L);
        // and each line is exactly what MLX-LM's chat loader reads
        JsonNode line = jsonl(dir.resolve("out/train.jsonl")).get(0);
        assertThat(line.fieldNames()).toIterable().containsExactly("messages");
        assertThat(line.at("/messages/1/role").asText()).isEqualTo("user");
    }

    @Test
    void splitByDocumentKeepsADocumentInOneSplit() throws Exception {
        // Given 30 documents of 4 pairs each
        for (int d = 0; d < 30; d++) {
            accept("doc" + d + ".md", 2, 2);
        }
        // When exported for MLX with --split-by document and --split 50/25/25
        var result = export(ExportFormat.MLX, true, Split.Ratios.parse("50/25/25"));

        // Then no document has pairs in two splits
        Map<String, String> docSplit = new HashMap<>();
        for (Split s : Split.values()) {
            for (JsonNode l : jsonl(dir.resolve("out/" + s.mlxName + ".jsonl"))) {
                String doc = l.at("/messages/1/content").asText().split("#")[0];
                assertThat(docSplit.putIfAbsent(doc, s.mlxName)).isIn(null, s.mlxName);
            }
        }
        assertThat(docSplit).hasSize(30);
        assertThat(result.pairs()).isEqualTo(120);
    }

    @Test
    void alpacaAndShareGptAreWhatLlamaFactoryReads() throws Exception {
        accept("a.md", 2, 2);

        export(ExportFormat.ALPACA, false);
        JsonNode alpaca = jsonl(dir.resolve("out/alpaca.jsonl")).get(0);
        assertThat(alpaca.get("instruction").asText()).startsWith("a.md");
        assertThat(alpaca.get("input").asText()).isEmpty();
        assertThat(alpaca.get("output").asText()).contains("16");
        assertThat(alpaca.get("system").asText()).isEqualTo("You are a RAN expert.");
        JsonNode info = JSON.readTree(dir.resolve("out/dataset_info.json").toFile());
        assertThat(info.at("/qastream/file_name").asText()).isEqualTo("alpaca.jsonl");
        assertThat(info.at("/qastream/columns/prompt").asText()).isEqualTo("instruction");

        export(ExportFormat.SHAREGPT, false);
        JsonNode share = jsonl(dir.resolve("out/sharegpt.jsonl")).get(0);
        assertThat(share.at("/conversations/0/from").asText()).isEqualTo("human");
        assertThat(share.at("/conversations/1/from").asText()).isEqualTo("gpt");
        assertThat(share.get("system").asText()).isEqualTo("You are a RAN expert.");
        info = JSON.readTree(dir.resolve("out/dataset_info.json").toFile());
        assertThat(info.at("/qastream/formatting").asText()).isEqualTo("sharegpt");
        assertThat(info.at("/qastream/columns/messages").asText()).isEqualTo("conversations");
        assertThat(info.at("/qastream/tags/assistant_tag").asText()).isEqualTo("gpt");
    }

    @Test
    void parquetHoldsTheMessagesAndTypedMetadata() throws Exception {
        accept("a.md", 3, 3);

        var result = export(ExportFormat.PARQUET, false);

        List<GenericRecord> rows = parquet(dir.resolve("out/dataset.parquet"));
        assertThat(rows).hasSize(9);
        assertThat(result.files()).containsEntry("dataset.parquet", 9L);
        GenericRecord row = rows.get(0);
        assertThat(row.get("pair_key").toString()).isEqualTo("a.md#0#0");
        assertThat(row.get("quality_score")).isEqualTo(0.9);
        assertThat(row.get("revision")).isEqualTo(5L);
        assertThat(row.get("question_type").toString()).isEqualTo("parameter");
        List<?> messages = (List<?>) row.get("messages");
        assertThat(((GenericRecord) messages.get(2)).get("role").toString()).isEqualTo("assistant");
        assertThat(((List<?>) row.get("technical_terms")).stream().map(Object::toString))
                .containsExactly("NRCellDU.pagingLoadLimit", "gNB");
    }

    @Test
    void huggingFaceFolderHasSplitParquetFilesAndACardThatMatchesThem() throws Exception {
        accept("a.md", 10, 5);
        accept("b.md", 10, 5);

        export(ExportFormat.HF, false);

        String card = Files.readString(dir.resolve("out/README.md"));
        assertThat(card).startsWith("---\n");
        JsonNode header = new YAMLMapper().readTree(card.split("---\n")[1]);
        assertThat(header.get("license").asText()).isEqualTo("other");
        assertThat(header.at("/configs/0/data_files/1/split").asText()).isEqualTo("validation");
        long total = 0;
        for (JsonNode split : header.at("/dataset_info/splits")) {
            String name = split.get("name").asText();
            Path file = dir.resolve("out/data/" + name + "-00000-of-00001.parquet");
            assertThat(parquet(file)).as(name).hasSize(split.get("num_examples").asInt());
            total += split.get("num_examples").asLong();
        }
        assertThat(total).isEqualTo(100);
        assertThat(header.at("/dataset_info/features/1/name").asText()).isEqualTo("messages");
        assertThat(header.at("/dataset_info/features/1/list/0/dtype").asText()).isEqualTo("string");
        assertThat(card).contains("2 documents", "`a.md`", "`extractive-v1`", "`extractive-v1-abc`", "| 0.9-1.0 | 100 |");
    }

    @Test
    void reviewedOnlyExportsThePairsAPersonAcceptedOrEditedAndTheCardCountsWhatPeopleDecided() throws Exception {
        // Given four pairs accepted by their scores and one they rejected
        accept("a.md", 2, 2);
        scored.pipeInput(key("b.md", 0, 0), pair(key("b.md", 0, 0), 5, false, false));
        // and people's decisions: accept the rejected one, edit one, reject one, and one withdrawn again
        decide(key("b.md", 0, 0), ReviewVerdict.ACCEPTED, null);
        decide(key("a.md", 0, 1), ReviewVerdict.EDITED, "It is 16 by default.");
        decide(key("a.md", 1, 0), ReviewVerdict.REJECTED, null);
        decide(key("a.md", 1, 1), ReviewVerdict.REJECTED, null);
        send(key("a.md", 1, 1), null);

        // When exported as chat with --reviewed-only
        var result = export(ExportFormat.CHAT, false, Split.Ratios.DEFAULT, true);

        // Then only the accepted and the edited pair are there, each saying so in its metadata
        List<JsonNode> lines = jsonl(dir.resolve("out/dataset.jsonl"));
        assertThat(result.pairs()).isEqualTo(2);
        assertThat(lines).extracting(l -> l.at("/metadata/reviewed").asText()).containsExactly("edited", "accepted");
        assertThat(lines.get(0).at("/messages/2/content").asText()).isEqualTo("It is 16 by default.");

        // When the whole dataset is exported for the Hub
        export(ExportFormat.HF, false, Split.Ratios.DEFAULT, false);

        // Then it holds the four pairs the scores and people left, and the card counts what people decided,
        // the rejected pair too, though it is not in the dataset
        long rows = 0;
        for (Split s : Split.values()) {
            List<GenericRecord> part = parquet(dir.resolve("out/data/" + s.hfName + "-00000-of-00001.parquet"));
            rows += part.size();
            part.stream().filter(r -> r.get("pair_key").toString().equals(key("b.md", 0, 0)))
                    .forEach(r -> assertThat(r.get("reviewed").toString()).isEqualTo("accepted"));
        }
        assertThat(rows).isEqualTo(4);
        String card = Files.readString(dir.resolve("out/README.md"));
        assertThat(card).contains("| accepted as generated | 1 |", "| edited | 1 |",
                "| rejected (not in this dataset) | 1 |");
    }

    @Test
    void documentIdsFromHostileFileNamesWriteNothingOutsideTheOutputFolderInAnyFormat() throws Exception {
        // Given pairs of documents whose ids (their paths in the inbox) try to leave any folder they are put in
        List<String> hostile = List.of("../../escape.md", "/etc/passwd.md", "line\nbreak.md", "..\\..\\win.md",
                "sub/../../../up.md", "C:/absolute.md", "./../dot.md");
        hostile.forEach(doc -> accept(doc, 1, 2));
        var records = dataset.readKeyValuesToList();

        // When the dataset is exported in every format, split by document (the split hashes the document id)
        Path root = dir.resolve("deep/down/here");
        for (ExportFormat format : ExportFormat.values()) {
            records.forEach(kv -> spill.put(kv.key, values.serializer().serialize(Topics.DATASET_PAIRS, kv.value)));
            DatasetExport.write(spill, values.deserializer(), Topics.DATASET_PAIRS, new DatasetExport.Options(format,
                    root.resolve("out-" + format.cliName()), Split.Ratios.DEFAULT, true, "qastream", "other", false),
                    0, s -> { });
        }

        // Then every file written is inside its format's output folder (or the export's own scratch folder)
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(dir::relativize).map(Path::toString))
                    .isNotEmpty().allSatisfy(f -> assertThat(f).matches("(deep/down/here/out-[a-z]+|tmp)/.*"));
        }
        // and the ids are kept as data: each of the 14 pairs on one line, naming its document as it was
        List<JsonNode> lines = jsonl(root.resolve("out-chat/dataset.jsonl"));
        assertThat(lines).hasSize(14);
        assertThat(lines).extracting(l -> l.at("/metadata/source_document").asText()).containsAll(hostile);
        // and the dataset card names each on one line of its own
        assertThat(Files.readString(root.resolve("out-hf/README.md"))).doesNotContain("\nbreak.md")
                .contains("- `line\\nbreak.md`\n", "- `../../escape.md`\n");
    }

    // ---- helpers

    private DatasetExport.Result export(ExportFormat format, boolean byDocument) throws IOException {
        return export(format, byDocument, Split.Ratios.DEFAULT);
    }

    private DatasetExport.Result export(ExportFormat format, boolean byDocument, Split.Ratios ratios) throws IOException {
        return export(format, byDocument, ratios, false);
    }

    private DatasetExport.Result export(ExportFormat format, boolean byDocument, Split.Ratios ratios, boolean reviewedOnly)
            throws IOException {
        // what the export command does: the topics into spills, newest value per key, tombstones deleting
        dataset.readKeyValuesToList().forEach(kv ->
                spill.put(kv.key, kv.value == null ? null : values.serializer().serialize(Topics.DATASET_PAIRS, kv.value)));
        var decisionSerde = topics.reviewDecisions.valueSerde();
        try (KeyedSpill decided = KeyedSpill.create(dir.resolve("tmp"))) {
            sentDecisions.forEach(kv -> decided.put(kv.key, kv.value == null ? null
                    : decisionSerde.serializer().serialize(Topics.REVIEW_DECISIONS, kv.value)));
            long rejected = PeopleRejected.count(decided, decisionSerde.deserializer(), Topics.REVIEW_DECISIONS, spill);
            return DatasetExport.write(spill, values.deserializer(), Topics.DATASET_PAIRS,
                    new DatasetExport.Options(format, dir.resolve("out"), ratios, byDocument, "qastream", "other",
                            reviewedOnly), rejected, s -> { });
        }
    }

    /** What review.decisions received, in order (the driver gives no way to read an input topic back). */
    private final List<org.apache.kafka.streams.KeyValue<String, ReviewDecision>> sentDecisions = new ArrayList<>();

    private void decide(String key, ReviewVerdict verdict, String editedAnswer) {
        send(key, ReviewDecision.newBuilder().setPairKey(key).setRevision(5)
                .setPairFingerprint(PairFingerprint.of(question(key), ANSWER)).setDecision(verdict)
                .setEditedAnswer(editedAnswer).setReviewer("ana").setDecidedAtMs(1L).build());
    }

    private void send(String key, ReviewDecision decision) {
        decisions.pipeInput(key, decision);
        sentDecisions.add(new org.apache.kafka.streams.KeyValue<>(key, decision));
    }

    private static String question(String key) {
        return key + " What is the default of NRCellDU.pagingLoadLimit?";
    }

    private Map<String, String> mlxSplits() throws IOException {
        Map<String, String> splits = new HashMap<>();
        for (Split s : Split.values()) {
            for (JsonNode l : jsonl(dir.resolve("out/" + s.mlxName + ".jsonl"))) {
                assertThat(splits.put(l.at("/messages/1/content").asText(), s.mlxName)).isNull();
            }
        }
        return splits;
    }

    private void accept(String doc, int chunks, int slots) {
        for (int c = 0; c < chunks; c++) {
            for (int s = 0; s < slots; s++) {
                scored.pipeInput(key(doc, c, s), pair(key(doc, c, s), 5, true, false));
            }
        }
    }

    private static String key(String doc, int chunk, int slot) {
        return doc + "#" + chunk + "#" + slot;
    }

    private static ScoredPair pair(String key, long revision, boolean accepted, boolean removed) {
        String[] parts = key.split("#");
        QaPair pair = QaPair.newBuilder()
                .setPairKey(key).setChunkId(parts[0] + "#" + parts[1]).setDocumentId(parts[0])
                .setSlot(Integer.parseInt(parts[2]))
                .setQuestion(removed ? "" : question(key))
                .setAnswer(removed ? "" : ANSWER)
                .setTier("balanced").setBackend("extractive").setModel("extractive-v1")
                .setPromptVersion("extractive-v1-abc").setChunkChecksum("c").setGeneratedAtMs(1L)
                .setRevision(revision).setRemoved(removed).setQuestionType("parameter").build();
        return ScoredPair.newBuilder()
                .setPair(pair).setStructural(0.9).setOverall(0.9).setAccepted(accepted)
                .setDocument(DocumentInfo.newBuilder().setFeatureName("Paging Load Control").build())
                .setTerms(TermTiers.newBuilder().setTier1ExactParams(List.of("NRCellDU.pagingLoadLimit"))
                        .setTier3NetworkElements(List.of("gNB")).build())
                .setScoredAtMs(2L).build();
    }

    private static List<JsonNode> jsonl(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    static List<GenericRecord> parquet(Path file) throws IOException {
        List<GenericRecord> rows = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withConf(new PlainParquetConfiguration()).build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                rows.add(r);
            }
        }
        return rows;
    }
}
