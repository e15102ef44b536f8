package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.Parameter;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.TermTiers;

import java.util.List;

/** A small feature document's chunk with three parameters and a counter, and pairs made from it. */
final class Fixtures {
    static final String TEXT = """
            DOCTITLE: Uplink Power Boost for Cell Edge

            ## Description
            Uplink Power Boost for Cell Edge lets the eNodeB raise the target received power of UEs that report \
            a low RSRP, so that their uplink data survives at the cell edge. The eNodeB evaluates the RSRP every 200 ms.

            ## Parameters
            - **EUtranCellFDD.ulPowerBoostEnabled**: Switches the uplink power boost on or off for the cell
              - MO Class: EUtranCellFDD
              - Valid Values: false (disabled), true (enabled)
              - Default: false
            - **EUtranCellFDD.ulPowerBoostRsrpThreshold**: RSRP below which a UE is treated as a cell-edge UE
              - MO Class: EUtranCellFDD
              - Valid Values: -140 to -44
              - Unit: dBm
              - Default: -110
            - **EUtranCellFDD.ulPowerBoostMaxOffset**: Largest extra power offset that the boost may add
              - MO Class: EUtranCellFDD
              - Valid Values: 0 to 10
              - Unit: dB
              - Default: 3

            ## Counters
            - pmUlPowerBoostActivations: Number of times the uplink power boost was activated for a UE in the cell.
            """;

    private Fixtures() {
    }

    static Chunk chunk() {
        return chunk("lte/boost.md", "c0ffee", TEXT, List.of(
                param("ulPowerBoostEnabled", "Switches the uplink power boost on or off for the cell",
                        "false (disabled), true (enabled)", "false", null),
                param("ulPowerBoostRsrpThreshold", "RSRP below which a UE is treated as a cell-edge UE", "-140 to -44", "-110", "dBm"),
                param("ulPowerBoostMaxOffset", "Largest extra power offset that the boost may add", "0 to 10", "3", "dB")));
    }

    static Chunk chunk(String documentId, String checksum, String text, List<Parameter> params) {
        return Chunk.newBuilder()
                .setChunkId(documentId + "#0").setDocumentId(documentId).setOrdinal(0)
                .setSectionPath(List.of()).setText(text).setChecksum(checksum).setTokenEstimate(300).setComplexity(0.4)
                .setDocument(DocumentInfo.newBuilder().setTitle("Uplink Power Boost for Cell Edge")
                        .setFeatureName("Uplink Power Boost for Cell Edge").build())
                .setParameters(params)
                .setCounters(List.of("pmUlPowerBoostActivations"))
                .setTerms(TermTiers.newBuilder().setTier1ExactParams(params.stream()
                                .map(p -> p.getMoClass() + "." + p.getName()).toList())
                        .setTier3NetworkElements(List.of("UE", "eNodeB")).build())
                .setQuality(ChunkQuality.newBuilder().build())
                .build();
    }

    static Parameter param(String name, String description, String valid, String dflt, String unit) {
        return Parameter.newBuilder().setMoClass("EUtranCellFDD").setName(name).setDescription(description)
                .setValidValues(valid).setDefaultValue(dflt).setUnit(unit).build();
    }

    static QaPair pair(int slot, String question, String answer) {
        return pair("lte/boost.md", "c0ffee", slot, question, answer);
    }

    static QaPair pair(String documentId, String checksum, int slot, String question, String answer) {
        return QaPair.newBuilder()
                .setPairKey(documentId + "#0#" + slot).setChunkId(documentId + "#0").setDocumentId(documentId).setSlot(slot)
                .setQuestion(question).setAnswer(answer).setTier("fast").setBackend("extractive").setModel("extractive-v1")
                .setPromptVersion("extractive-v1-test").setChunkChecksum(checksum).setGeneratedAtMs(1L).setRevision(10L)
                .build();
    }
}
