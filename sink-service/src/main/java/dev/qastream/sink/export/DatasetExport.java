package dev.qastream.sink.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qastream.schemas.DatasetRecord;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Writes the dataset held in a {@link KeyedSpill} (pair key -> newest dataset record) in one format,
 * streaming: one record at a time in key order, so memory stays flat however large the dataset is.
 */
public final class DatasetExport {
    public static final String CHAT_FILE = "dataset.jsonl";
    public static final String PARQUET_FILE = "dataset.parquet";
    public static final String ALPACA_FILE = "alpaca.jsonl";
    public static final String SHAREGPT_FILE = "sharegpt.jsonl";
    public static final String DATASET_INFO = "dataset_info.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param splitByDocument keep every pair of one document in one split (no document in two splits)
     * @param name            the dataset's name in dataset_info.json and the card
     * @param license         the Hugging Face license id written into the card
     * @param reviewedOnly    only the pairs a person accepted or edited
     */
    public record Options(ExportFormat format, Path out, Split.Ratios ratios, boolean splitByDocument,
                          String name, String license, boolean reviewedOnly) {
        public Options(ExportFormat format, Path out, Split.Ratios ratios, boolean splitByDocument, String name,
                       String license) {
            this(format, out, ratios, splitByDocument, name, license, false);
        }

        public Split splitOf(String key, DatasetRecord r) {
            return ratios.of(splitByDocument ? r.getSourceDocument() : key);
        }
    }

    /** What was written: pairs per file, in the order written. */
    public record Result(long pairs, Map<String, Long> files) {
        public String summary(ExportFormat format, Path out) {
            StringBuilder b = new StringBuilder("exported ").append(pairs).append(" pairs as ")
                    .append(format.cliName()).append(" to ").append(out).append(':');
            files.forEach((f, n) -> b.append(' ').append(f).append(' ').append(n).append(','));
            b.setLength(b.length() - 1);
            return b.toString();
        }
    }

    private DatasetExport() {
    }

    public static Result write(KeyedSpill spill, Deserializer<DatasetRecord> values, String topic, Options o,
                               Consumer<String> progress) throws IOException {
        return write(spill, values, topic, o, 0, progress);
    }

    /** @param rejectedByPeople pairs people rejected ({@link PeopleRejected}), for the card: they are not in the spill */
    public static Result write(KeyedSpill spill, Deserializer<DatasetRecord> values, String topic, Options o,
                               long rejectedByPeople, Consumer<String> progress) throws IOException {
        Files.createDirectories(o.out());
        ExportStats stats = new ExportStats();
        stats.rejectedByPeople = rejectedByPeople;
        stats.reviewedOnly = o.reviewedOnly();
        try (Target target = target(o)) {
            long t0 = System.nanoTime();
            long[] lastReport = {t0};
            spill.forEach((key, bytes) -> {
                DatasetRecord r = values.deserialize(topic, bytes);
                if (o.reviewedOnly() && r.getReviewed() == null) {
                    return;
                }
                Split split = o.splitOf(key, r);
                target.accept(key, r, split);
                stats.add(r, split);
                long now = System.nanoTime();
                if (now - lastReport[0] > 2_000_000_000L) {
                    progress.accept(String.format("export: %,d pairs written (%.0f s)", stats.pairs, (now - t0) / 1e9));
                    lastReport[0] = now;
                }
            });
            target.finish(stats);
            return new Result(stats.pairs, target.files(stats));
        }
    }

    /** Where records go for one format. */
    private interface Target extends AutoCloseable {
        void accept(String key, DatasetRecord r, Split split);

        default void finish(ExportStats stats) throws IOException {
        }

        Map<String, Long> files(ExportStats stats);

        @Override
        void close() throws IOException;
    }

    private static Target target(Options o) throws IOException {
        Path out = o.out();
        return switch (o.format()) {
            case CHAT -> new JsonlTarget(out.resolve(CHAT_FILE), Rows::chat);
            case ALPACA -> new JsonlTarget(out.resolve(ALPACA_FILE), Rows::alpaca) {
                @Override
                public void finish(ExportStats stats) throws IOException {
                    writeDatasetInfo(out, o.name(), ALPACA_FILE, alpacaInfo());
                }
            };
            case SHAREGPT -> new JsonlTarget(out.resolve(SHAREGPT_FILE), Rows::sharegpt) {
                @Override
                public void finish(ExportStats stats) throws IOException {
                    writeDatasetInfo(out, o.name(), SHAREGPT_FILE, sharegptInfo());
                }
            };
            case MLX -> new MlxTarget(out);
            case PARQUET -> new ParquetTarget(out);
            case HF -> new HfTarget(out, o);
        };
    }

    private static class JsonlTarget implements Target {
        private final Path file;
        private final Path tmp;
        private final BufferedWriter writer;
        private final Function<DatasetRecord, String> line;
        private long lines;

        JsonlTarget(Path file, Function<DatasetRecord, String> line) throws IOException {
            this.file = file;
            this.tmp = file.resolveSibling(file.getFileName() + ".partial");
            this.writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
            this.line = line;
        }

        @Override
        public void accept(String key, DatasetRecord r, Split split) {
            try {
                writer.write(line.apply(r));
                writer.write('\n');
                lines++;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + tmp + ": " + e.getMessage(), e);
            }
        }

        @Override
        public Map<String, Long> files(ExportStats stats) {
            return Map.of(file.getFileName().toString(), lines);
        }

        /** The finished file replaces the old one in one step; a failed export leaves the old one. */
        @Override
        public void close() throws IOException {
            writer.close();
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static final class MlxTarget implements Target {
        private final Map<Split, JsonlTarget> files = new EnumMap<>(Split.class);

        MlxTarget(Path out) throws IOException {
            for (Split s : Split.values()) {
                files.put(s, new JsonlTarget(out.resolve(s.mlxName + ".jsonl"), Rows::mlx));
            }
        }

        @Override
        public void accept(String key, DatasetRecord r, Split split) {
            files.get(split).accept(key, r, split);
        }

        @Override
        public Map<String, Long> files(ExportStats stats) {
            Map<String, Long> m = new LinkedHashMap<>();
            files.values().forEach(t -> m.putAll(t.files(stats)));
            return m;
        }

        @Override
        public void close() throws IOException {
            for (JsonlTarget t : files.values()) {
                t.close();
            }
        }
    }

    private static final class ParquetTarget implements Target {
        private final ParquetFile file;

        ParquetTarget(Path out) {
            this.file = new ParquetFile(out.resolve(PARQUET_FILE));
        }

        @Override
        public void accept(String key, DatasetRecord r, Split split) {
            file.write(Rows.parquet(key, r));
        }

        @Override
        public Map<String, Long> files(ExportStats stats) {
            return Map.of(PARQUET_FILE, file.rows());
        }

        @Override
        public void close() {
            file.close();
        }
    }

    private static final class HfTarget implements Target {
        private final Path out;
        private final Options options;
        private final Map<Split, ParquetFile> files = new EnumMap<>(Split.class);

        HfTarget(Path out, Options options) throws IOException {
            this.out = out;
            this.options = options;
            Files.createDirectories(out.resolve("data"));
            for (Split s : Split.values()) {
                files.put(s, new ParquetFile(out.resolve(fileName(s))));
            }
        }

        static String fileName(Split s) {
            return "data/" + s.hfName + "-00000-of-00001.parquet";
        }

        @Override
        public void accept(String key, DatasetRecord r, Split split) {
            files.get(split).write(Rows.parquet(key, r));
        }

        @Override
        public void finish(ExportStats stats) throws IOException {
            HfCard.write(out.resolve("README.md"), stats, options.name(), options.license());
        }

        @Override
        public Map<String, Long> files(ExportStats stats) {
            Map<String, Long> m = new LinkedHashMap<>();
            files.forEach((s, f) -> m.put(fileName(s), f.rows()));
            return m;
        }

        @Override
        public void close() {
            files.values().forEach(ParquetFile::close);
        }
    }

    /** LLaMA-Factory's dataset_info.json: one entry naming the file and mapping its columns. */
    private static void writeDatasetInfo(Path out, String name, String file, ObjectNode entry) throws IOException {
        ObjectNode info = JSON.createObjectNode();
        ObjectNode e = info.putObject(name);
        e.put("file_name", file);
        e.setAll(entry);
        Files.writeString(out.resolve(DATASET_INFO), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(info) + "\n");
    }

    private static ObjectNode alpacaInfo() {
        ObjectNode e = JSON.createObjectNode();
        e.putObject("columns").put("prompt", "instruction").put("query", "input").put("response", "output")
                .put("system", "system");
        return e;
    }

    private static ObjectNode sharegptInfo() {
        ObjectNode e = JSON.createObjectNode();
        e.put("formatting", "sharegpt");
        e.putObject("columns").put("messages", "conversations").put("system", "system");
        e.putObject("tags").put("role_tag", "from").put("content_tag", "value").put("user_tag", "human")
                .put("assistant_tag", "gpt");
        return e;
    }
}
