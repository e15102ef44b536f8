package dev.qastream.llm.extractive;

import dev.qastream.llm.GeneratedPair;

import dev.qastream.llm.GenerationException;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.qastream.llm.extractive.Fixtures.ENABLED;
import static dev.qastream.llm.extractive.Fixtures.THRESHOLD;
import static dev.qastream.llm.extractive.Fixtures.chunk;
import static dev.qastream.llm.extractive.Fixtures.featureChunk;
import static dev.qastream.llm.extractive.Fixtures.param;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExtractiveGeneratorTest {
    private final ExtractiveGenerator generator = new ExtractiveGenerator(20);

    private Map<String, String> answersByQuestion(Chunk chunk) throws GenerationException {
        return generator.pairs(chunk, "fast", 1L).stream()
                .collect(Collectors.toMap(QaPair::getQuestion, QaPair::getAnswer, (a, b) -> a, java.util.LinkedHashMap::new));
    }

    @Test
    void defaultValueAnswersStateExactlyTheDefaultWithItsMeaningOrUnit() throws Exception {
        // Given a chunk with a boolean parameter whose valid values explain each value, and a numeric one with a unit
        Chunk chunk = featureChunk();

        // When pairs are generated
        Map<String, String> qa = answersByQuestion(chunk);

        // Then the default-value answers are exact, full sentences
        assertThat(qa).containsEntry("What is the default value of EUtranCellFDD.ulPowerBoostEnabled?",
                "The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled).");
        assertThat(qa).containsEntry("What is the default value of EUtranCellFDD.ulPowerBoostThreshold?",
                "The default value of EUtranCellFDD.ulPowerBoostThreshold is 130 dB.");
    }

    @Test
    void aBareCommonWordAsParameterNameIsAskedAboutWithItsFeature() throws Exception {
        // Given a configuration table with no MO class: a name only its document makes specific, and a specific one
        Chunk chunk = chunk(List.of("Configuration"), "Config options in the uicc section.",
                List.of(param("", "key", "Subscription key (Ki)", null, "fec86ba6eb707ed0", null),
                        param("", "nssai_sd", "NSSAI slice differentiator", null, "0xffffff", null)), List.of());

        // When pairs are generated
        Map<String, String> qa = answersByQuestion(chunk);

        // Then the common word carries its feature, in the question and the answer; the specific name stays bare
        assertThat(qa).containsEntry("What is the default value of key in Adaptive Uplink Power Boost?",
                "The default value of key in Adaptive Uplink Power Boost is fec86ba6eb707ed0.");
        assertThat(qa).containsKey("What is the default value of nssai_sd?");
        assertThat(qa).doesNotContainKey("What is the default value of key?");
    }

    @Test
    void theFeatureInAQuestionLeavesOutATitlesLeadingAbout() throws Exception {
        Chunk about = Chunk.newBuilder(chunk(List.of("Configuration"), "Config options.",
                        List.of(param("", "imsi", "User IMSI", null, "2089900007487", null)), List.of()))
                .setDocument(dev.qastream.schemas.DocumentInfo.newBuilder().setTitle("About 5GS NAS")
                        .setFeatureName("About 5GS NAS").build())
                .build();
        assertThat(answersByQuestion(about)).containsKey("What is the default value of imsi in 5GS NAS?");
    }

    @Test
    void defaultWithoutExplainedMeaningIsStatedAsWritten() throws Exception {
        // Given a parameter whose valid values are a range, so they do not explain the default
        Chunk chunk = chunk(List.of("Parameters"), "Parameters of the feature.",
                List.of(param("GNBCUCPFunction", "maxNoOfUes", "Maximum number of UEs admitted", "0..4000", "1200", null)),
                List.of());

        // When pairs are generated
        Map<String, String> qa = answersByQuestion(chunk);

        // Then the default is stated without any invented meaning
        assertThat(qa).containsEntry("What is the default value of GNBCUCPFunction.maxNoOfUes?",
                "The default value of GNBCUCPFunction.maxNoOfUes is 1200.");
        assertThat(qa).containsEntry("What does GNBCUCPFunction.maxNoOfUes control?",
                "GNBCUCPFunction.maxNoOfUes is the maximum number of UEs admitted.");
    }

    @Test
    void parameterQuestionsCoverValidValuesMoClassAndDescription() throws Exception {
        // Given the feature chunk
        Chunk chunk = featureChunk();

        // When pairs are generated
        Map<String, String> qa = answersByQuestion(chunk);

        // Then each parameter field becomes one self-contained answer
        assertThat(qa).containsEntry("What are the valid values of EUtranCellFDD.ulPowerBoostEnabled?",
                "The valid values of EUtranCellFDD.ulPowerBoostEnabled are false (disabled), true (enabled).");
        assertThat(qa).containsEntry("What are the valid values of EUtranCellFDD.ulPowerBoostThreshold?",
                "The valid values of EUtranCellFDD.ulPowerBoostThreshold are 100..160 (unit: dB).");
        assertThat(qa).containsEntry("Which MO class does the parameter ulPowerBoostEnabled belong to?",
                "The parameter ulPowerBoostEnabled belongs to the EUtranCellFDD MO class.");
        assertThat(qa).containsEntry("What does EUtranCellFDD.ulPowerBoostEnabled control?",
                "EUtranCellFDD.ulPowerBoostEnabled is a boolean parameter controlling the uplink power boost.");
        assertThat(qa).containsEntry("What does EUtranCellFDD.ulPowerBoostThreshold control?",
                "EUtranCellFDD.ulPowerBoostThreshold is the path loss threshold above which a UE is considered to be at the cell edge.");
    }

    @Test
    void overviewAnswerIsTheFirstThreeSentencesOfTheDescriptionWithoutMarkdown() throws Exception {
        // Given a chunk whose Description section has four sentences with bold text and a link
        Chunk chunk = featureChunk();

        // When pairs are generated
        List<QaPair> pairs = generator.pairs(chunk, "fast", 1L);

        // Then slot 0 asks what the feature does and answers with the first three sentences, cleaned
        assertThat(pairs.get(0).getQuestion()).isEqualTo("What does the Adaptive Uplink Power Boost feature do?");
        assertThat(pairs.get(0).getAnswer()).isEqualTo(
                "Adaptive Uplink Power Boost raises the uplink transmission power of UEs at the cell edge when their "
                        + "path loss exceeds a threshold. This improves uplink coverage without changing the cell plan. "
                        + "The boost is removed as soon as the UE moves back towards the cell centre.");
    }

    @Test
    void counterQuestionUsesTheCounterDescriptionFromTheText() throws Exception {
        // Given a chunk listing a counter with a description, and a counter the text never describes
        Chunk chunk = chunk(List.of("Counters"), """
                ## Counters
                - **pmUlPowerBoostActivations**: Number of times the uplink power boost was activated for a UE
                | Counter | Description |
                |---|---|
                | pmUlPowerBoostTime | Total time in seconds that at least one UE was boosted |
                The counter pmUlPowerBoostReleases is stepped each time a boost is removed.
                """, List.of(), List.of("pmUlPowerBoostActivations", "pmUlPowerBoostTime", "pmUlPowerBoostReleases", "pmUndocumented"));

        // When pairs are generated
        Map<String, String> qa = answersByQuestion(chunk);

        // Then each described counter gets a question; the undocumented one is skipped, and a
        // counters section does not pass for a feature overview
        assertThat(qa).containsExactly(
                Map.entry("What does the counter pmUlPowerBoostActivations measure?",
                        "The counter pmUlPowerBoostActivations measures the number of times the uplink power boost was activated for a UE."),
                Map.entry("What does the counter pmUlPowerBoostTime measure?",
                        "The counter pmUlPowerBoostTime measures the total time in seconds that at least one UE was boosted."),
                Map.entry("What does the counter pmUlPowerBoostReleases measure?",
                        "The counter pmUlPowerBoostReleases is stepped each time a boost is removed."));
    }

    @Test
    void slotsAndKeysAreStableAcrossRuns() throws Exception {
        // Given the same chunk generated twice at different times
        ExtractiveGenerator gen = new ExtractiveGenerator();
        List<QaPair> first = gen.pairs(featureChunk(), "balanced", 1_000L);
        List<QaPair> second = gen.pairs(featureChunk(), "balanced", 2_000L);

        // Then slots run 0..n-1, keys are chunk id + '#' + slot, and both runs put the same pair in each slot
        assertThat(first).extracting(QaPair::getSlot).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(first).extracting(QaPair::getPairKey).startsWith("ran/uplink_power_boost.md#0#0", "ran/uplink_power_boost.md#0#1");
        Function<QaPair, List<Object>> content = p -> List.of(p.getPairKey(), p.getQuestion(), p.getAnswer());
        assertThat(second).extracting(content).isEqualTo(first.stream().map(content).toList());
        assertThat(second).allSatisfy(p -> assertThat(p.getGeneratedAtMs()).isEqualTo(2_000L));
    }

    @Test
    void capLimitsPairsAndKeepsTheValueFactsFirst() throws Exception {
        // Given a chunk with ten candidate questions: overview, 2 defaults, 2 descriptions, 2 valid values, a counter, 2 MO classes
        Chunk chunk = featureChunk();

        // When generated with no practical cap, the default cap and a cap of three
        List<QaPair> all = new ExtractiveGenerator(100).pairs(chunk, "fast", 1L);
        List<QaPair> capped = new ExtractiveGenerator().pairs(chunk, "fast", 1L);
        List<QaPair> three = new ExtractiveGenerator(3).pairs(chunk, "fast", 1L);

        // Then without a cap every kind comes, in its order
        assertThat(all).hasSize(10);
        assertThat(all).extracting(QaPair::getQuestion).containsSubsequence(
                "What does the Adaptive Uplink Power Boost feature do?",
                "What is the default value of EUtranCellFDD.ulPowerBoostEnabled?",
                "What does EUtranCellFDD.ulPowerBoostEnabled control?",
                "What are the valid values of EUtranCellFDD.ulPowerBoostEnabled?",
                "What does the counter pmUlPowerBoostActivations measure?",
                "Which MO class does the parameter ulPowerBoostEnabled belong to?");
        // and under the default cap (8) the descriptions give way to the value facts, which all stay
        assertThat(capped).hasSize(ExtractiveGenerator.DEFAULT_MAX_PAIRS).hasSize(8)
                .extracting(QaPair::getQuestion).noneMatch(q -> q.endsWith(" control?"));
        // and under a cap of three each parameter's value facts share one pair, so none is lost
        assertThat(three).extracting(QaPair::getQuestion).containsExactly(
                "What does the Adaptive Uplink Power Boost feature do?",
                "What are the default values, valid values and MO classes of EUtranCellFDD.ulPowerBoostEnabled and "
                        + "EUtranCellFDD.ulPowerBoostThreshold?",
                "What does the counter pmUlPowerBoostActivations measure?");
        assertThat(three.get(1).getAnswer()).contains("The default value of EUtranCellFDD.ulPowerBoostThreshold is 130 dB.",
                "The valid values of EUtranCellFDD.ulPowerBoostEnabled are false (disabled), true (enabled).",
                "The parameter ulPowerBoostThreshold belongs to the EUtranCellFDD MO class.");
    }

    @Test
    void theFirstPassStatesEveryValueFactOfATwelveParameterChunkUnderTheCap() throws Exception {
        // Given a chunk of twelve parameters, each with a default, valid values, a unit and an MO class, and two counters
        List<dev.qastream.schemas.Parameter> params = java.util.stream.IntStream.range(0, 12)
                .mapToObj(i -> param("NRCellDU", "timer" + i, "Supervision timer number " + i, "0..10" + i, String.valueOf(i), "ms"))
                .toList();
        StringBuilder text = new StringBuilder("## Parameters\n");
        params.forEach(p -> text.append("- **NRCellDU.").append(p.getName()).append("**: ").append(p.getDescription()).append('\n'));
        text.append("- **pmTimerExpiry**: Number of times a supervision timer expired\n");
        text.append("- **pmTimerRestart**: Number of times a supervision timer was restarted\n");
        Chunk chunk = chunk(List.of("Parameters"), text.toString(), params, List.of("pmTimerExpiry", "pmTimerRestart"));

        // When the builtin generator makes its first pass under the default cap
        List<QaPair> pairs = new ExtractiveGenerator().pairs(chunk, "fast", 1L);

        // Then it stays under the cap and still states every parameter's default, valid values, unit and MO class,
        // and what each counter measures
        assertThat(pairs).hasSizeLessThanOrEqualTo(ExtractiveGenerator.DEFAULT_MAX_PAIRS);
        String answers = pairs.stream().map(QaPair::getAnswer).collect(Collectors.joining("\n"));
        for (int i = 0; i < 12; i++) {
            assertThat(answers).contains("The default value of NRCellDU.timer" + i + " is " + i + " ms.",
                    "The valid values of NRCellDU.timer" + i + " are 0..10" + i + " (unit: ms).",
                    "The parameter timer" + i + " belongs to the NRCellDU MO class.");
        }
        assertThat(answers).contains("pmTimerExpiry", "pmTimerRestart");
    }

    @Test
    void aFollowUpAnswersTheNamedFactsOnePairEach() throws Exception {
        // Given facts of the feature chunk named by a follow-up, one of them about a parameter the chunk does not have
        List<dev.qastream.schemas.FocusFact> focus = List.of(
                fact("parameter.default", "EUtranCellFDD.ulPowerBoostThreshold"),
                fact("parameter.mo-class", "EUtranCellFDD.ulPowerBoostEnabled"),
                fact("counter.purpose", "pmUlPowerBoostActivations"),
                fact("parameter.default", "EUtranCellFDD.noSuchParameter"));

        // When the builtin generator answers the follow-up
        var generation = new ExtractiveGenerator().generate(featureChunk(), "fast", focus);

        // Then it answers exactly the facts it can state, in the order named
        assertThat(generation.pairs()).extracting(GeneratedPair::question).containsExactly(
                "What is the default value of EUtranCellFDD.ulPowerBoostThreshold?",
                "Which MO class does the parameter ulPowerBoostEnabled belong to?",
                "What does the counter pmUlPowerBoostActivations measure?");
        assertThat(generation.pairs().get(0).answer()).isEqualTo("The default value of EUtranCellFDD.ulPowerBoostThreshold is 130 dB.");
    }

    private static dev.qastream.schemas.FocusFact fact(String kind, String subject) {
        return dev.qastream.schemas.FocusFact.newBuilder().setFactId("ran/uplink_power_boost.md#0|" + kind + "|" + subject)
                .setSubject(subject).setKind(kind).setText("the " + kind + " of " + subject).build();
    }

    @Test
    void questionsWhoseAnswerWouldBeEmptyAreSkipped() throws Exception {
        // Given a parameter with no default, no description and no valid values, and no MO class
        Chunk chunk = chunk(List.of("Parameters"), "- **bareFlag**", List.of(param(null, "bareFlag", null, null, " ", null)), List.of());

        // When pairs are generated
        List<QaPair> pairs = generator.pairs(chunk, "fast", 1L);

        // Then there is nothing to ask
        assertThat(pairs).isEmpty();
    }

    @Test
    void introductoryProseGetsAnOverviewButOtherSectionsDoNot() throws Exception {
        // Given prose before any subsection, and prose-only chunks of Feature Operation and Dependencies sections
        String intro = "The feature evaluates the path loss of each UE every 200 ms. A UE above the threshold is boosted.";
        Chunk preamble = chunk(List.of(), "Adaptive Uplink Power Boost\n\n" + intro, List.of(), List.of());
        Chunk underTitle = chunk(List.of("Adaptive Uplink Power Boost"), intro, List.of(), List.of());
        Chunk operation = chunk(List.of("Feature Operation"), intro, List.of(), List.of());
        Chunk dependencies = chunk(List.of("Dependencies"), "The feature requires the Uplink Power Control feature.", List.of(), List.of());
        Chunk unrelated = chunk(List.of(), "Wait for a bit. Then restart the node and check the logs again.", List.of(), List.of());

        // When pairs are generated
        // Then only the introduction answers what the feature does (the chunker's path line is not prose)
        for (Chunk c : List.of(preamble, underTitle)) {
            assertThat(generator.pairs(c, "fast", 1L)).singleElement().satisfies(p -> {
                assertThat(p.getQuestion()).isEqualTo("What does the Adaptive Uplink Power Boost feature do?");
                assertThat(p.getAnswer()).isEqualTo(intro);
            });
        }
        assertThat(generator.pairs(operation, "fast", 1L)).isEmpty();
        assertThat(generator.pairs(dependencies, "fast", 1L)).isEmpty();
        assertThat(generator.pairs(unrelated, "fast", 1L)).isEmpty();
    }

    @Test
    void chunkerStyleTextYieldsCounterClausesAndTableRows() throws Exception {
        // Given counters described in one running sentence and in the chunker's "Header: value | ..." rows
        Chunk chunk = chunk(List.of("Counters"), """
                Counters

                The following counters track the feature: pmBoostStarts counts how often a UE was boosted, \
                pmBoostStops counts exits, and pmBoostTime accumulates the time spent boosted.

                pmBoostFailures counts failed boosts. pmBoostRetries counts retried boosts.

                Counter: pmBoostUes | Description: Number of UEs boosted at least once
                """, List.of(), List.of("pmBoostStarts", "pmBoostStops", "pmBoostTime", "pmBoostFailures", "pmBoostUes"));

        // When pairs are generated
        Map<String, String> qa = answersByQuestion(chunk);

        // Then each counter gets its own clause, never a neighbour's
        assertThat(qa.values()).containsExactly(
                "The counter pmBoostStarts counts how often a UE was boosted.",
                "The counter pmBoostStops counts exits.",
                "The counter pmBoostTime accumulates the time spent boosted.",
                "The counter pmBoostFailures counts failed boosts.",
                "The counter pmBoostUes measures the number of UEs boosted at least once.");
    }

    @Test
    void pairsCarryProvenanceAndAVersionThatFollowsTheTemplatesAndCap() throws Exception {
        // Given two generators with the default cap and one with another cap
        ExtractiveGenerator a = new ExtractiveGenerator();
        ExtractiveGenerator b = new ExtractiveGenerator();
        ExtractiveGenerator other = new ExtractiveGenerator(4);

        // When a chunk is generated
        QaPair pair = a.pairs(featureChunk(), "quality", 42L).get(0);

        // Then each pair names its source and how it was made
        assertThat(pair.getChunkId()).isEqualTo("ran/uplink_power_boost.md#0");
        assertThat(pair.getDocumentId()).isEqualTo("ran/uplink_power_boost.md");
        assertThat(pair.getChunkChecksum()).isEqualTo("c0ffee");
        assertThat(pair.getTier()).isEqualTo("quality");
        assertThat(pair.getBackend()).isEqualTo("extractive").isEqualTo(a.backend());
        assertThat(pair.getModel()).isEqualTo("extractive-v1").isEqualTo(a.model());
        assertThat(pair.getPromptVersion()).isEqualTo(a.promptVersion()).matches("extractive-v1-[0-9a-f]{8}");
        assertThat(b.promptVersion()).isEqualTo(a.promptVersion());
        assertThat(other.promptVersion()).isNotEqualTo(a.promptVersion());
    }

    @Test
    void aChunkWithoutTextIsAPermanentFailure() {
        // Given no chunk / When generating / Then a non-retryable error, so the worker dead-letters at once
        assertThatThrownBy(() -> generator.pairs(null, "fast", 1L))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.retryable()).isFalse());
        assertThatThrownBy(() -> new ExtractiveGenerator(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parameterListedTwiceTakesOneSlot() throws Exception {
        // Given a chunk that lists the same parameter twice
        Chunk chunk = chunk(List.of("Parameters"), "Parameters.", List.of(ENABLED, ENABLED, THRESHOLD), List.of());

        // When pairs are generated
        List<QaPair> pairs = generator.pairs(chunk, "fast", 1L);

        // Then every question is asked once
        assertThat(pairs).extracting(QaPair::getQuestion).doesNotHaveDuplicates().hasSize(8);
    }

    @Test
    void eachPairNamesItsQuestionType() throws Exception {
        // Given a feature chunk with parameters and an overview
        var generation = generator.generate(featureChunk(), "fast");

        // Then setting questions are typed "parameter", the rest "factual", and both kinds occur
        assertThat(generation.pairs()).isNotEmpty().allSatisfy(p -> assertThat(p.questionType())
                .isEqualTo(p.question().startsWith("What is the default value of")
                        || p.question().startsWith("What are the valid values of")
                        || p.question().startsWith("Which MO class") ? "parameter" : "factual"));
        assertThat(generation.pairs()).extracting(dev.qastream.llm.GeneratedPair::questionType)
                .contains("parameter", "factual");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            Adaptive Uplink Power Boost               | What does the Adaptive Uplink Power Boost feature do?
            About 5GS NAS                             | What does the 5GS NAS feature do?
            Introduction to analog beamforming        | What does the analog beamforming feature do?
            E-UTRAN USER GUIDE                        | What is the E-UTRAN USER GUIDE about?
            Overview of AWGN BLER Table               | What is the AWGN BLER Table about?
            Configuring the logging facility          | What does configuring the logging facility involve?
            String handling                           | What does the String handling feature do?
            Timing advance                            | What does the Timing advance feature do?
            Setting up the RF simulator               | What does setting up the RF simulator involve?
            """)
    void theOverviewQuestionFollowsWhatTheTitleNames(String title, String question) {
        // Given a document title naming a feature, a document or a task / When its overview is asked for
        // Then the question fits it: "What does the E-UTRAN USER GUIDE feature do?" would not
        assertThat(ExtractiveGenerator.overviewQuestion(title)).isEqualTo(question);
    }
}
