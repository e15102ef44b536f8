package dev.qastream.launcher.report;

import dev.qastream.schemas.DocumentStatus;

import java.util.List;
import java.util.Random;

import static dev.qastream.launcher.report.Records.datasetRecord;
import static dev.qastream.launcher.report.Records.document;
import static dev.qastream.launcher.report.Records.pair;
import static dev.qastream.launcher.report.Records.scored;

/** A report state with something in every section, made from a fixed seed: for rendering tests. */
final class RichReport {
    static final List<String> TYPES = List.of("parameter", "factual", "procedure", "reasoning", "troubleshooting");
    static final List<String> REASONS = List.of("answer is too short (2 words)", "mentions unknown parameter Foo.barBaz",
            "question does not end with '?'", "names no parameter, counter or term of the chunk",
            "near-duplicate of a.md#1#0", "contains <think> tags");

    private RichReport() {
    }

    static ReportState state() {
        Random random = new Random(42);
        ReportState s = new ReportState();
        long t0 = 1_764_000_000_000L;
        String[] tiers = {"fast", "balanced", "quality"};
        String[] models = {"qwen3:1.7b", "qwen3:8b", "qwen3:30b-a3b"};
        for (int d = 0; d < 12; d++) {
            String doc = (d % 3 == 0 ? "lte/" : "nr/") + "feature_" + d + ".md";
            long ingested = t0 + d * 4_000L;
            s.document(doc, document(doc, DocumentStatus.INGESTED, 6, ingested));
            for (int c = 0; c < 6; c++) {
                int tier = (d + c) % 3;
                for (int slot = 0; slot < 4; slot++) {
                    String key = doc + "#" + c + "#" + slot;
                    double base = 0.55 + 0.12 * tier + random.nextGaussian() * 0.15;
                    double overall = Math.max(0, Math.min(1, base));
                    boolean accepted = overall >= 0.75;
                    List<String> reasons = accepted ? List.of()
                            : List.of(REASONS.get(Math.min(REASONS.size() - 1, (int) Math.abs(random.nextGaussian() * 2))));
                    long generated = ingested + 800 + tier * 3_000L + random.nextInt(2_000);
                    List<String> flags = d == 4 && c == 1 && slot == 0
                            ? List.of("conflict: nr/feature_7.md states default 16 for NRCellDU.pagingLoadLimit, this says 32")
                            : List.of();
                    s.scored(key, scored(pair(key, doc, tiers[tier], models[tier], "qa-v2-" + (d < 8 ? "3f9c1a" : "7e21b0"),
                            TYPES.get((c + slot) % TYPES.size()), generated, false), overall,
                            tier == 0 ? null : Math.min(1, overall + 0.05), accepted, reasons, flags, generated + 150));
                    if (accepted) {
                        s.datasetRecord(key, datasetRecord(doc, d % 5 == 0 ? null : "Feature " + d,
                                TYPES.get((c + slot) % TYPES.size()), slot % 3 == 0 ? 0 : 2));
                    }
                }
            }
        }
        // an accepted pair whose chunk went away: it left the dataset
        s.scored("lte/feature_0.md#9#0", scored(pair("lte/feature_0.md#9#0", "lte/feature_0.md", "fast", models[0],
                "qa-v2-3f9c1a", null, t0, false), 0.9, 0.8, true, List.of(), List.of(), t0 + 50));
        s.scored("lte/feature_0.md#9#0", scored(pair("lte/feature_0.md#9#0", "lte/feature_0.md", "fast", models[0],
                "qa-v2-3f9c1a", null, t0, true), 0, null, false, List.of(), List.of(), t0 + 100));
        for (int d = 0; d < 4; d++) {
            s.coverage("lte/feature_" + d + ".md", Records.coverage("lte/feature_" + d + ".md", 12, 12 - 2 * d, 0.6 + d / 10.0,
                    d % 2 == 0 ? "never answered" : "answered wrongly"));
        }
        s.deadLetter(Records.deadLetter("nr/feature_5.md#2", "quality", "output did not parse as JSON after 3 attempts",
                List.of("fast", "balanced", "quality")));
        s.deadLetter(Records.deadLetter("nr/feature_8.md#0", "quality", "model server timed out after 600 s",
                List.of("quality")));
        s.ingestError(Records.ingestError("broken.pdf", "PDF is corrupt or unreadable: Page tree root must be a dictionary"));
        s.ingestError(Records.ingestError("empty.md", "file is empty"));
        return s;
    }
}
