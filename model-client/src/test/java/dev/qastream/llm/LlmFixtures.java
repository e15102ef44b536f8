package dev.qastream.llm;

import dev.qastream.runtime.config.Config;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.Parameter;
import dev.qastream.schemas.TermTiers;

import java.util.List;
import java.util.Map;

/** A hand-written chunk in the style of a RAN feature document (a made-up feature) and tier settings for tests. */
final class LlmFixtures {
    static final String TEXT = """
            DOCTITLE: Uplink Interference Shaping
            Feature State: Basic

            ## Description
            Uplink Interference Shaping lowers the uplink noise rise in a cell by limiting the power of UEs that cause interference in neighbour cells.
            The function acts only on UEs whose measured interference stays above a threshold.

            ## Parameters
            - **EUtranCellFDD.ulShapingEnabled**: Boolean parameter enabling uplink interference shaping
              - MO Class: EUtranCellFDD
              - Valid Values: false (disabled), true (enabled)
              - Default: false
            - **EUtranCellFDD.ulShapingThreshold**: Interference level above which a UE is power limited
              - MO Class: EUtranCellFDD
              - Valid Values: -120..-80
              - Unit: dBm
              - Default: -100

            ## Counters
            - **pmUlShapingActivations**: Number of times a UE was power limited by the function
            """;

    private LlmFixtures() {
    }

    static Chunk chunk() {
        return chunk(TEXT);
    }

    static Chunk chunk(String text) {
        List<Parameter> params = List.of(
                Parameter.newBuilder().setMoClass("EUtranCellFDD").setName("ulShapingEnabled").setDefaultValue("false").build(),
                Parameter.newBuilder().setMoClass("EUtranCellFDD").setName("ulShapingThreshold").setDefaultValue("-100").build());
        return Chunk.newBuilder()
                .setChunkId("ran/ul_shaping.md#0").setDocumentId("ran/ul_shaping.md").setOrdinal(0)
                .setSectionPath(List.of("Uplink Interference Shaping"))
                .setText(text).setChecksum("c0ffee").setTokenEstimate(text.length() / 4).setComplexity(0.5)
                .setDocument(DocumentInfo.newBuilder().setTitle("Uplink Interference Shaping")
                        .setFeatureName("Uplink Interference Shaping").build())
                .setParameters(params)
                .setCounters(List.of("pmUlShapingActivations"))
                .setTerms(TermTiers.newBuilder().build())
                .setQuality(ChunkQuality.newBuilder().build())
                .build();
    }

    /** Defaults with the balanced tier pointed at {@code url} through {@code backend}. */
    static Config config(String backend, String url, String model, Map<String, String> more) {
        Map<String, String> overrides = new java.util.HashMap<>(Map.of(
                "tiers.balanced.backend", backend,
                "tiers.balanced.base-url", url,
                "tiers.balanced.model", model,
                "tiers.balanced.timeout-s", "5",
                "tiers.balanced.temperature", "0.3",
                "tiers.balanced.max-output-tokens", "1500"));
        overrides.putAll(more);
        return Config.load(null, Map.of()).with(overrides);
    }
}
