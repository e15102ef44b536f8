package dev.qastream.review;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkViewTest {

    @Test
    void marksTheSentenceSharingTheMostWordsWithTheAnswer() {
        List<ChunkView.Block> blocks = ChunkView.of("""
                OSPF sends hello packets. The hello interval defaults to 10 seconds on broadcast links.
                The dead interval is four times the hello interval.

                Areas group routers.""", "The hello interval is 10 seconds on broadcast links.");

        assertThat(blocks).hasSize(2);
        assertThat(blocks.getFirst().sentences()).extracting(ChunkView.Piece::highlighted).containsExactly(false, true, false);
        assertThat(blocks.getFirst().sentences().get(1).text())
                .isEqualTo("The hello interval defaults to 10 seconds on broadcast links.");
    }

    @Test
    void aShortAnswerIsFoundByItsNumber() {
        List<ChunkView.Block> blocks = ChunkView.of("Hello packets go out often. The dead interval is 40 s.", "40 s.");
        assertThat(blocks.getFirst().sentences()).extracting(ChunkView.Piece::highlighted).containsExactly(false, true);
    }

    @Test
    void aPipeTableIsATableAndTheAnswersRowIsMarked() {
        List<ChunkView.Block> blocks = ChunkView.of("""
                Timers:
                | Timer | Default |
                |---|---|
                | hello-interval | 10 s |
                | dead-interval | 40 s |""", "The dead-interval default is 40 s.");

        ChunkView.Block table = blocks.get(1);
        assertThat(table.table()).isTrue();
        assertThat(table.header()).isTrue();
        assertThat(table.rows()).containsExactly(List.of("Timer", "Default"), List.of("hello-interval", "10 s"),
                List.of("dead-interval", "40 s"));
        assertThat(table.highlightedRow()).isEqualTo(2);
    }
}
