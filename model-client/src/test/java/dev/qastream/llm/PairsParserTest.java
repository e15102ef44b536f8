package dev.qastream.llm;

import dev.qastream.llm.GeneratedPair;
import dev.qastream.llm.GenerationException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PairsParserTest {
    static final String OBJECT = """
            {"pairs": [{"question": "What is the default of A.b?", "answer": "The default of A.b is 5.", "type": "parameter"},
                       {"question": "Why use A?", "answer": "Because it helps.", "type": "Reasoning"}]}""";

    static List<GeneratedPair> parse(String raw) throws GenerationException {
        return PairsParser.parse(raw);
    }

    @Test
    void anObjectWithPairsParsesWithTypes() throws Exception {
        List<GeneratedPair> pairs = parse(OBJECT);
        assertThat(pairs).containsExactly(
                new GeneratedPair("What is the default of A.b?", "The default of A.b is 5.", "parameter"),
                new GeneratedPair("Why use A?", "Because it helps.", "reasoning"));
    }

    @Test
    void thinkBlocksAreStrippedWhetherFullEmptyOrOnlyClosed() throws Exception {
        assertThat(parse("<think>\nThe user wants {pairs} about [A].\n</think>\n\n" + OBJECT)).hasSize(2);
        assertThat(parse("<think></think>" + OBJECT)).hasSize(2);
        assertThat(parse("I should look at the defaults {first}.\n</think>\n" + OBJECT)).hasSize(2);
    }

    @Test
    void codeFencesAndProseAroundTheJsonAreIgnored() throws Exception {
        assertThat(parse("Here are the pairs [2 of them]:\n```json\n" + OBJECT + "\n```\nHope this helps {!}")).hasSize(2);
    }

    @Test
    void trailingCommasAreTolerated() throws Exception {
        assertThat(parse("{\"pairs\": [{\"question\": \"Q?\", \"answer\": \"A.\",},],}")).hasSize(1);
    }

    @Test
    void aBareArrayAndASinglePairObjectAreAccepted() throws Exception {
        assertThat(parse("[{\"question\": \"Q1?\", \"answer\": \"A1.\"}, {\"question\": \"Q2?\", \"answer\": \"A2.\"}]")).hasSize(2);
        assertThat(parse("{\"question\": \"Q?\", \"answer\": \"A.\", \"type\": \"procedure\"}"))
                .containsExactly(new GeneratedPair("Q?", "A.", "procedure"));
        assertThat(parse("{\"qa_pairs\": [{\"question\": \"Q?\", \"answer\": \"A.\"}]}")).hasSize(1);
    }

    @Test
    void itemsWithoutQuestionOrAnswerAreDroppedAndUnknownTypesCleared() throws Exception {
        assertThat(parse("{\"pairs\": [{\"question\": \"Q?\"}, {\"answer\": \"A.\"}, {\"question\": \" \", \"answer\": \"A.\"},"
                + " {\"question\": \"Q2?\", \"answer\": \"A2.\", \"type\": \"trivia\"}]}"))
                .containsExactly(new GeneratedPair("Q2?", "A2.", null));
    }

    @Test
    void brokenFormsAreUnparseableAndCarryTheRawOutput() {
        for (String raw : List.of("", "   ", "I cannot help with that.", "{\"pairs\": [{\"question\" \"Q\", answer: }]]",
                "{\"pairs\": [{\"question\": \"Q?\", \"answer\": \"A.\"}, {\"question\": \"Q2", "{\"pairs\": []}",
                "{\"result\": [{\"q\": \"Q?\", \"a\": \"A.\"}]}", "<think>only thinking</think>")) {
            assertThatThrownBy(() -> parse(raw)).as(raw).isInstanceOfSatisfying(GenerationException.class, e -> {
                assertThat(e.kind()).isEqualTo(GenerationException.Kind.UNPARSEABLE);
                assertThat(e.rawOutput()).isEqualTo(raw);
            });
        }
    }

    @Test
    void anEmptyListSaysTheModelReturnedNoPairs() {
        assertThatThrownBy(() -> parse("{\"pairs\": []}")).hasMessage("model returned no pairs");
    }
}
