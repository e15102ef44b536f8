package dev.qastream.review;

import dev.qastream.schemas.DocumentCoverage;
import dev.qastream.schemas.UncoveredFact;

import java.util.List;
import java.util.Locale;

/**
 * A document's coverage as the workbench shows it (from coverage.documents): how many of its facts accepted
 * pairs cover, the variety of their question types, and each fact still uncovered with why.
 */
public record Coverage(String documentId, int facts, int covered, double diversity, int acceptedPairs,
                       List<Uncovered> uncovered) {

    /** A fact no accepted pair covers; {@code detail}: the wrong value answered, or why the pair was rejected. */
    public record Uncovered(String factId, String kind, String text, String value, String reason, String detail) {

        /** "never answered", "answered wrongly: pair#3: answer says 20; the document says 10", "rejected: ...". */
        public String why() {
            return detail == null || detail.isBlank() ? reason : reason + ": " + detail;
        }
    }

    static Coverage of(DocumentCoverage c) {
        List<Uncovered> uncovered = c.getUncovered().stream().map(Coverage::uncovered).toList();
        return new Coverage(c.getDocumentId(), c.getFacts(), c.getCovered(), c.getDiversity(), c.getAcceptedPairs(),
                uncovered);
    }

    private static Uncovered uncovered(UncoveredFact u) {
        return new Uncovered(u.getFactId(), u.getKind(), u.getText(), u.getValue(), u.getReason(), u.getDetail());
    }

    /** Rounded down, so 100% means every fact is covered. */
    public int percent() {
        return percent(covered, facts);
    }

    /** "facts covered 37 of 42 (88%)". */
    public String line() {
        return line(covered, facts);
    }

    public String diversityText() {
        return String.format(Locale.ROOT, "%.2f", diversity);
    }

    static String line(long covered, long facts) {
        return facts == 0 ? "no facts to cover" : "facts covered " + covered + " of " + facts + " (" + percent(covered, facts) + "%)";
    }

    private static int percent(long covered, long facts) {
        return facts <= 0 ? 100 : (int) (100 * Math.min(covered, facts) / facts);
    }
}
