package dev.qastream.launcher;

import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Locale;

/**
 * Which scored pairs `tail` shows. Removals (a pair with removed=true) are hidden unless asked for;
 * then they pass the document and tier filters only, since they carry no verdict or reasons.
 *
 * @param documentGlob glob on the document id ({@code lte/*.md}, {@code **}{@code /paging*}); a glob without '/'
 *                     is also tried on the file name alone, so {@code *paging*} finds {@code lte/paging.md}
 * @param tier         fast, balanced or quality; null for all
 * @param accepted     true: accepted only, false: rejected only, null: both
 * @param reason       case-insensitive text that one of the reasons or flags must contain; null for any
 * @param removals     show removal records too
 */
record TailFilter(String documentGlob, String tier, Boolean accepted, String reason, boolean removals) {

    static final TailFilter ALL = new TailFilter(null, null, null, null, false);

    TailFilter {
        if (tier != null && !Topics.TIERS.contains(tier)) {
            throw new IllegalArgumentException("unknown tier '" + tier + "'; tiers are " + Topics.TIERS);
        }
        reason = reason == null || reason.isBlank() ? null : reason.toLowerCase(Locale.ROOT);
    }

    boolean test(ScoredPair s) {
        QaPair p = s.getPair();
        if (p.getRemoved() && !removals) {
            return false;
        }
        if (tier != null && !tier.equals(p.getTier())) {
            return false;
        }
        if (documentGlob != null && !documentMatches(p.getDocumentId())) {
            return false;
        }
        if (p.getRemoved()) {
            return true;
        }
        if (accepted != null && accepted != s.getAccepted()) {
            return false;
        }
        return reason == null || s.getReasons().stream().anyMatch(this::mentionsReason)
                || s.getFlags().stream().anyMatch(this::mentionsReason);
    }

    private boolean mentionsReason(String text) {
        return text.toLowerCase(Locale.ROOT).contains(reason);
    }

    boolean documentMatches(String documentId) {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + documentGlob);
        Path id = Path.of(documentId);
        return m.matches(id) || !documentGlob.contains("/") && id.getFileName() != null && m.matches(id.getFileName());
    }
}
