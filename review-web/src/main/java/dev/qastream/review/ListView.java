package dev.qastream.review;

import java.util.List;

/**
 * The list fragment: one page of pairs, and a line on the coverage of the documents the filter's glob matches
 * (null when coverage.documents has none of them).
 */
public record ListView(Page page, String coverage) {

    /** One document: its figures and diversity; several: their facts together. */
    static ListView of(Page page, List<Coverage> documents) {
        if (documents.isEmpty()) {
            return new ListView(page, null);
        }
        if (documents.size() == 1) {
            Coverage c = documents.getFirst();
            return new ListView(page, c.documentId() + ": " + c.line() + " · diversity " + c.diversityText());
        }
        long facts = documents.stream().mapToLong(Coverage::facts).sum();
        long covered = documents.stream().mapToLong(Coverage::covered).sum();
        return new ListView(page, documents.size() + " documents: " + Coverage.line(covered, facts));
    }
}
