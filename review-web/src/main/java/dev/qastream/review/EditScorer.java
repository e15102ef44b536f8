package dev.qastream.review;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;

import java.util.List;

/**
 * Scores an edited question and answer against the pair's source chunk with the pipeline's scorer, so what the
 * scorer objects to (a fact the chunk contradicts) shows before the edit is kept.
 */
public interface EditScorer {
    record Result(double overall, boolean accepted, List<String> reasons) {
    }

    /**
     * @param edited    the pair with the edited question and answer, made from {@code chunk} as it is now
     * @param document  every chunk of the pair's document the workbench holds (the fact check's catalogue)
     */
    Result score(QaPair edited, Chunk chunk, List<Chunk> document);

    /** Where no scorer is wired: the edit is kept unscored. */
    EditScorer NONE = (edited, chunk, document) -> null;
}
