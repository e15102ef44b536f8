package dev.qastream.launcher;

import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.sink.export.DatasetExport;
import dev.qastream.sink.export.ExportFormat;
import dev.qastream.sink.export.KeyedSpill;
import dev.qastream.sink.export.PeopleRejected;
import dev.qastream.sink.export.Split;
import dev.qastream.sink.export.TopicSpill;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Writes the dataset (the compacted dataset.pairs topic) in a format a fine-tuning tool reads. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the dataset for fine-tuning, read from the compacted dataset.pairs topic, beside a running"
                + " `up` (same --data-dir) or on the data dir a finished `batch` left; into --out DIR"
                + " (default: out/export-FORMAT).",
                "Formats: chat (messages JSONL with metadata), mlx (train/valid/test.jsonl for MLX-LM LoRA),"
                + " alpaca and sharegpt (LLaMA-Factory, with dataset_info.json), parquet (one file, typed columns),"
                + " hf (a Hugging Face dataset folder: data/*.parquet and a README.md card).",
                "--reviewed-only: only the pairs a person accepted or edited in the review workbench."})
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--format", required = true, description = "chat, mlx, alpaca, sharegpt, parquet or hf")
    String format;

    @Option(names = "--split", defaultValue = "80/10/10",
            description = "train/valid/test ratios for mlx and hf (default 80/10/10)")
    String split;

    @Option(names = "--split-by", defaultValue = "pair",
            description = "pair (default) or document: keep all pairs of one document in one split")
    String splitBy;

    @Option(names = "--reviewed-only", description = "only the pairs a person accepted or edited in the review workbench")
    boolean reviewedOnly;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        ExportFormat fmt = ExportFormat.parse(format);
        Split.Ratios ratios = Split.Ratios.parse(split);
        if (!splitBy.equals("pair") && !splitBy.equals("document")) {
            throw new IllegalArgumentException("--split-by is pair or document, not '" + splitBy + "'");
        }
        Path out = options.out != null ? options.out : config.path("out").resolve("export-" + fmt.cliName());
        long t0 = System.nanoTime();
        try (ClusterSession session = ClusterSession.open(config, ClusterSession.Need.BROKER);
             KeyedSpill spill = KeyedSpill.create(out.resolve(".spill"));
             KeyedSpill decisions = KeyedSpill.create(out.resolve(".spill"))) {
            var ctx = session.context();
            long read = TopicSpill.read(ctx.kafka(), Topics.DATASET_PAIRS, spill, System.err::println);
            System.err.printf("read %,d records of %s%n", read, Topics.DATASET_PAIRS);
            // People's rejections are not in the dataset: the card counts them from their decisions.
            long rejected = 0;
            if (TopicSpill.exists(ctx.kafka(), Topics.REVIEW_DECISIONS)) {
                TopicSpill.read(ctx.kafka(), Topics.REVIEW_DECISIONS, decisions, System.err::println);
                rejected = PeopleRejected.count(decisions, ctx.topics().reviewDecisions.valueSerde().deserializer(),
                        Topics.REVIEW_DECISIONS, spill);
            }
            var result = DatasetExport.write(spill, ctx.topics().dataset.valueSerde().deserializer(),
                    Topics.DATASET_PAIRS, new DatasetExport.Options(fmt, out, ratios, splitBy.equals("document"),
                            config.string("export.name"), config.string("export.license"), reviewedOnly), rejected,
                    System.err::println);
            System.out.println(result.summary(fmt, out) + String.format(" (%.1f s)", (System.nanoTime() - t0) / 1e9));
        } finally {
            java.nio.file.Files.deleteIfExists(out.resolve(".spill"));
        }
        return 0;
    }
}
