package dev.qastream.launcher;

import dev.qastream.review.EditScorer;
import dev.qastream.runtime.config.Config;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.scoring.Catalogue;
import dev.qastream.scoring.DocumentScorer;
import dev.qastream.scoring.PairScorer;
import dev.qastream.scoring.ScoringService;

import java.util.List;

/**
 * Scores a reviewer's edit as `./pipeline score` scores a pair: the pipeline's scorers (the judge too when
 * enabled) against the pair's own chunk, with the document's chunks as the fact check's catalogue.
 */
final class ReviewEditScorer implements EditScorer {
    private final Config config;
    private volatile PairScorer scorer;

    ReviewEditScorer(Config config) {
        this.config = config;
    }

    @Override
    public Result score(QaPair edited, Chunk chunk, List<Chunk> document) {
        ScoredPair s = new DocumentScorer(scorer(), List.of(chunk), Catalogue.of(document.isEmpty() ? List.of(chunk) : document))
                .score(List.of(new DocumentScorer.Input(edited.getQuestion(), edited.getAnswer(), edited.getQuestionType())),
                        false).getFirst();
        return new Result(s.getOverall(), s.getAccepted(), List.copyOf(s.getReasons()));
    }

    /** Made on the first edit: loading the embedding model takes a moment nobody should wait for at start. */
    private PairScorer scorer() {
        PairScorer s = scorer;
        if (s == null) {
            synchronized (this) {
                if (scorer == null) {
                    scorer = ScoringService.scorer(config, System.err::println);
                }
                s = scorer;
            }
        }
        return s;
    }
}
