package dev.qastream.llm.extractive;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.Parameter;
import dev.qastream.schemas.TermTiers;

import java.util.List;

/** Hand-written chunks in the style of a RAN feature document (a made-up feature, not copied text). */
final class Fixtures {
    static final String FEATURE_TEXT = """
            DOCTITLE: Adaptive Uplink Power Boost
            Product: CXC4099001
            Feature State: Basic

            ## Description
            **Adaptive Uplink Power Boost** raises the uplink transmission power of UEs at the cell edge \
            when their path loss exceeds a threshold. This improves uplink coverage without changing the \
            [cell plan](plan.md). The boost is removed as soon as the UE moves back towards the cell centre.
            Operators usually enable it in rural cells.

            ## Parameters
            - **EUtranCellFDD.ulPowerBoostEnabled**: Boolean parameter controlling the uplink power boost
              - MO Class: EUtranCellFDD
              - Valid Values: false (disabled), true (enabled)
              - Default: false
            - **EUtranCellFDD.ulPowerBoostThreshold**: Path loss threshold above which a UE is considered to be at the cell edge
              - MO Class: EUtranCellFDD
              - Valid Values: 100..160
              - Unit: dB
              - Default: 130

            ## Counters
            - **pmUlPowerBoostActivations**: Number of times the uplink power boost was activated for a UE
            """;

    private Fixtures() {
    }

    static Parameter param(String mo, String name, String description, String validValues, String defaultValue, String unit) {
        return Parameter.newBuilder().setMoClass(mo).setName(name).setDescription(description)
                .setValidValues(validValues).setDefaultValue(defaultValue).setUnit(unit).build();
    }

    static final Parameter ENABLED = param("EUtranCellFDD", "ulPowerBoostEnabled",
            "Boolean parameter controlling the uplink power boost", "false (disabled), true (enabled)", "false", null);
    static final Parameter THRESHOLD = param("EUtranCellFDD", "ulPowerBoostThreshold",
            "Path loss threshold above which a UE is considered to be at the cell edge", "100..160", "130", "dB");

    /** The whole feature document as one chunk: overview, two parameters, one counter. */
    static Chunk featureChunk() {
        return chunk(List.of(), FEATURE_TEXT, List.of(ENABLED, THRESHOLD), List.of("pmUlPowerBoostActivations"));
    }

    static Chunk chunk(List<String> sectionPath, String text, List<Parameter> params, List<String> counters) {
        return Chunk.newBuilder()
                .setChunkId("ran/uplink_power_boost.md#0")
                .setDocumentId("ran/uplink_power_boost.md")
                .setOrdinal(0)
                .setSectionPath(sectionPath)
                .setText(text)
                .setChecksum("c0ffee")
                .setTokenEstimate(text.length() / 4)
                .setComplexity(0.2)
                .setDocument(DocumentInfo.newBuilder()
                        .setTitle("Adaptive Uplink Power Boost")
                        .setFeatureName("Adaptive Uplink Power Boost")
                        .setProductNumbers(List.of("CXC4099001"))
                        .setFeatureState("Basic")
                        .build())
                .setParameters(params)
                .setCounters(counters)
                .setTerms(TermTiers.newBuilder()
                        .setTier1ExactParams(params.stream().map(p -> p.getMoClass() + "." + p.getName()).toList())
                        .setTier3NetworkElements(List.of("UE"))
                        .build())
                .setQuality(ChunkQuality.newBuilder().setParameterCount(params.size()).setCounterCount(counters.size()).build())
                .build();
    }
}
