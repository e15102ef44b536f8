package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalDouble;

/**
 * An optional second opinion on a pair, in [0, 1], typically a model of the tier {@code scoring.judge.tier}
 * asked whether the answer is correct and useful for the question given the chunk. Off by default
 * ({@code scoring.judge.enabled}); when it answers, its score is mixed into the overall score with weight
 * {@code scoring.judge.weight} and stored in {@code ScoredPair.judge}. Empty means "no opinion" (not asked,
 * or the judge was unavailable): the other scores decide alone.
 */
public interface PairJudge {
    OptionalDouble judge(QaPair pair, Chunk chunk);

    /** The score, or without one why there is none (for the pair's reasons). Never throws. */
    default Verdict verdict(QaPair pair, Chunk chunk) {
        OptionalDouble score = judge(pair, chunk);
        return score.isPresent() ? Verdict.of(score.getAsDouble()) : Verdict.unavailable("no opinion");
    }

    /** {@link #verdict}, with an exception turned into no opinion: a judge that throws never fails the topology. */
    default Verdict safeVerdict(QaPair pair, Chunk chunk) {
        try {
            return verdict(pair, chunk);
        } catch (RuntimeException e) {
            return Verdict.unavailable(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * What a judgement is kept under: the content judged (and, for a model, the prompt version and the model), so
     * that a replay of the same pairs does not ask again and a new prompt or model does.
     */
    default String cacheKey(QaPair pair, Chunk chunk) {
        return digest(chunk.getChecksum(), pair.getQuestion(), pair.getAnswer());
    }

    /** The model that judges, for the verdict's record; empty when not a model. */
    default String model() {
        return "";
    }

    /** The version of the prompt the judge is asked with; empty when not a model. */
    default String promptVersion() {
        return "";
    }

    /** SHA-256 of the parts, hex: a key of fixed length whatever the texts. */
    static String digest(String... parts) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    PairJudge NONE = (pair, chunk) -> OptionalDouble.empty();

    /** A judge's answer: a score in [0, 1], or the reason it has none. */
    record Verdict(OptionalDouble score, String problem) {
        /** No judge to ask (disabled, or no model server): no score, and no reason to give. */
        public static final Verdict NOT_ASKED = new Verdict(OptionalDouble.empty(), null);

        public static Verdict of(double score) {
            return new Verdict(OptionalDouble.of(score), null);
        }

        public static Verdict unavailable(String problem) {
            return new Verdict(OptionalDouble.empty(), problem);
        }
    }
}
