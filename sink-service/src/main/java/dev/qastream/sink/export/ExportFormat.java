package dev.qastream.sink.export;

import java.util.Arrays;
import java.util.Locale;

/** The dataset formats an export writes, each the layout a fine-tuning tool reads. */
public enum ExportFormat {
    /** OpenAI-style chat "messages" JSONL with the metadata, one file. */
    CHAT,
    /** MLX-LM LoRA layout: train.jsonl / valid.jsonl / test.jsonl of {"messages": [...]}. */
    MLX,
    /** LLaMA-Factory Alpaca (instruction / input / output / system) JSONL with a dataset_info.json. */
    ALPACA,
    /** LLaMA-Factory ShareGPT (conversations of from / value, system) JSONL with a dataset_info.json. */
    SHAREGPT,
    /** One Parquet file: the messages and the metadata as typed columns. */
    PARQUET,
    /** A Hugging Face dataset folder: data/{train,validation,test}-00000-of-00001.parquet and a README.md card. */
    HF;

    public static ExportFormat parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown export format '" + name + "'; formats are "
                    + Arrays.stream(values()).map(ExportFormat::cliName).toList());
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the format writes train / validation / test splits. */
    public boolean splits() {
        return this == MLX || this == HF;
    }
}
