package dev.qastream.scoring.coverage;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.Fact;
import dev.qastream.schemas.Parameter;
import dev.qastream.schemas.TermTiers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class FactInventoryTest {
    static final DocumentInfo TTI = DocumentInfo.newBuilder().setTitle("Basic TTI Bundling").setFeatureName("Basic TTI Bundling")
            .setProductNumbers(List.of("CXC4012011", "CXC4012019")).setFeatureState("Obsolete").build();

    static Chunk chunk(int ordinal, List<Parameter> params, List<String> counters) {
        return Chunk.newBuilder().setChunkId("lte/tti.md#" + ordinal).setDocumentId("lte/tti.md").setOrdinal(ordinal)
                .setText("text").setChecksum("c" + ordinal).setTokenEstimate(10).setComplexity(0.1).setDocument(TTI)
                .setParameters(params).setCounters(counters).setTerms(TermTiers.newBuilder().build())
                .setQuality(ChunkQuality.newBuilder().build()).build();
    }

    static Parameter bundling() {
        return Parameter.newBuilder().setMoClass("EUtranCellFDD").setName("ttiBundlingUl")
                .setDescription("Boolean parameter controlling uplink TTI bundling")
                .setValidValues("false (disabled), true (enabled)").setDefaultValue("false").build();
    }

    private static Map<String, Fact> byId(List<Fact> facts) {
        return facts.stream().collect(Collectors.toMap(Fact::getFactId, f -> f));
    }

    @Test
    void aParameterGivesItsPurposeDefaultValuesAndMoClassAndTheFirstChunkTheDocumentFacts() {
        Map<String, Fact> facts = byId(FactInventory.of(chunk(0, List.of(bundling()), List.of())));

        assertThat(facts.keySet()).containsExactlyInAnyOrder(
                "lte/tti.md#0|feature.purpose|Basic TTI Bundling",
                "lte/tti.md#0|feature.state|Basic TTI Bundling",
                "lte/tti.md#0|feature.products|Basic TTI Bundling",
                "lte/tti.md#0|parameter.purpose|EUtranCellFDD.ttiBundlingUl",
                "lte/tti.md#0|parameter.default|EUtranCellFDD.ttiBundlingUl",
                "lte/tti.md#0|parameter.values|EUtranCellFDD.ttiBundlingUl",
                "lte/tti.md#0|parameter.mo-class|EUtranCellFDD.ttiBundlingUl");
        assertThat(facts.get("lte/tti.md#0|parameter.default|EUtranCellFDD.ttiBundlingUl").getValue()).isEqualTo("false");
        assertThat(facts.get("lte/tti.md#0|parameter.default|EUtranCellFDD.ttiBundlingUl").getText())
                .isEqualTo("the default value of EUtranCellFDD.ttiBundlingUl");
        assertThat(facts.get("lte/tti.md#0|feature.state|Basic TTI Bundling").getValue()).isEqualTo("Obsolete");
        assertThat(facts.get("lte/tti.md#0|feature.products|Basic TTI Bundling").getValue()).isEqualTo("CXC4012011, CXC4012019");
        assertThat(facts.get("lte/tti.md#0|parameter.purpose|EUtranCellFDD.ttiBundlingUl").getValue())
                .as("descriptive facts carry no value").isNull();
        assertThat(facts.values()).allMatch(f -> f.getDocumentId().equals("lte/tti.md"));
    }

    @Test
    void laterChunksCarryTheirOwnFactsOnlyCountersAndConfigEntriesIncluded() {
        Parameter config = Parameter.newBuilder().setName("max_rxgain").setDescription("Largest receive gain")
                .setDefaultValue("125").setUnit("dB").build();
        List<Fact> facts = FactInventory.of(chunk(3, List.of(config, config), List.of("pmTtiBundlingUlActivations")));

        assertThat(facts).extracting(Fact::getFactId).containsExactly(
                "lte/tti.md#3|config.purpose|max_rxgain",
                "lte/tti.md#3|config.default|max_rxgain",
                "lte/tti.md#3|config.unit|max_rxgain",
                "lte/tti.md#3|counter.purpose|pmTtiBundlingUlActivations");
        assertThat(facts.get(3).getText()).isEqualTo("what pmTtiBundlingUlActivations counts");
        assertThat(FactInventory.of(chunk(3, List.of(config), List.of()))).as("the same chunk, the same facts")
                .isEqualTo(FactInventory.of(chunk(3, List.of(config), List.of())));
    }

    @Test
    void aFocusFactNamesTheFactForTheModel() {
        Fact f = FactInventory.of(chunk(0, List.of(bundling()), List.of())).stream()
                .filter(x -> x.getKind().equals(FactInventory.PARAMETER_DEFAULT)).findFirst().orElseThrow();
        var focus = FactInventory.focus(f);
        assertThat(focus.getFactId()).isEqualTo(f.getFactId());
        assertThat(focus.getValue()).isEqualTo("false");
        assertThat(focus.getText()).isEqualTo("the default value of EUtranCellFDD.ttiBundlingUl");
        assertThat(FactInventory.documentOf("a/b#c.md#12")).isEqualTo("a/b#c.md");
    }
}
