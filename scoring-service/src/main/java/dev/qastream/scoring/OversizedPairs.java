package dev.qastream.scoring;

import dev.qastream.schemas.QaPair;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pair whose text could not travel on through the stage's own topics. The generation service never writes one
 * (its results stay under the broker's 1 MB), but another producer allowed larger requests may, compressed; its
 * repartition record would then fail the stream thread's transaction, which would read it again, for ever. It is
 * cut to a few lines on arrival, with a mark, and the structural check rejects it with its size as the reason.
 */
final class OversizedPairs {
    /** Characters of question and answer together: at most 3 bytes each in UTF-8, far under the broker's 1 MB. */
    static final int MAX_TEXT_CHARS = 100_000;
    private static final int KEPT_CHARS = 500;
    private static final Pattern MARK = Pattern.compile("\\[cut: the pair had (\\d+) characters\\]$");

    private OversizedPairs() {
    }

    /** The pair as it is, or cut with the mark when its text is larger than {@link #MAX_TEXT_CHARS}. */
    static QaPair cut(QaPair pair) {
        long length = (long) pair.getQuestion().length() + pair.getAnswer().length();
        if (length <= MAX_TEXT_CHARS) {
            return pair;
        }
        return QaPair.newBuilder(pair)
                .setQuestion(prefix(pair.getQuestion()))
                .setAnswer(prefix(pair.getAnswer()) + " [cut: the pair had " + length + " characters]")
                .build();
    }

    /** The characters a cut pair had, or -1 for a pair that was not cut. */
    static long originalLength(String answer) {
        Matcher m = MARK.matcher(answer);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String prefix(String text) {
        return text.length() <= KEPT_CHARS ? text : text.substring(0, KEPT_CHARS);
    }
}
